// libFuzzer target: in-place editing of Registry.pol and .reg files. The input is read as
// either format (by its first bytes); whatever parses is edited with a fixed policy change
// (values in place, a deletion, a list key emptied and refilled, a value in a new key).
// The result must parse again and, applied once more, must not change.
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/gp/reg_edit.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

namespace cp = comredir::policy;

const char* const kTs = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
const char* const kList = "SOFTWARE\\Policies\\comredir\\Redirection\\AllowedPorts";

const cp::PolSlots& slots() {
    static const cp::PolSlots s{
        {{kTs, "fDisableCcm"}, {kTs, "fDisableCdm"}, {"Software\\New", "v"}}, {kList}};
    return s;
}

const std::vector<cp::PolRecord>& records() {
    static const std::vector<cp::PolRecord> r = {
        {kTs, "fDisableCcm", 4, cp::pol_dword(1)},
        cp::pol_delete_value(kTs, "fDisableCdm"),
        cp::pol_delete_all_values(kList),
        {kList, "1", 1, cp::pol_sz("COM1")},
        {"Software\\New", "v", 7, cp::pol_multi_sz({"a", "b"})},
    };
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> in(data, size);
    if (size >= 4 && data[0] == 'P' && data[1] == 'R' && data[2] == 'e' && data[3] == 'g') {
        auto p = cp::parse_pol(in);
        if (!p.ok()) return 0;
        auto e = cp::edit_pol(in, p.file, slots(), records());
        auto q = cp::parse_pol(e.bytes);
        if (!q.ok()) std::abort();
        auto again = cp::edit_pol(e.bytes, q.file, slots(), records());
        if (again.bytes != e.bytes) std::abort();
        return 0;
    }
    auto r = cp::parse_regfile(in);
    if (!r.ok()) return 0;
    auto e = cp::edit_regfile(in, r.file, "HKEY_LOCAL_MACHINE", slots(), records());
    auto q = cp::parse_regfile(e.bytes);
    if (!q.ok()) std::abort();
    auto again = cp::edit_regfile(e.bytes, q.file, "HKEY_LOCAL_MACHINE", slots(), records());
    if (again.bytes != e.bytes) std::abort();
    return 0;
}
