// libFuzzer target: the Intune settings-catalog export reader, and the editor on whatever
// the reader accepts: for the COM setting and for the file's own first and last settings
// (any depth), a set that succeeds must re-parse, read back with the new value and be
// idempotent; an unset after it must succeed and re-parse without the setting.
#include <algorithm>
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/intune/intune_edit.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace comredir::policy;

void require(bool ok) {
    if (!ok) std::abort();
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool one_line(const IntuneEdit& e) {
    return !e.message.empty() && e.message.find('\n') == std::string::npos;
}

/// Occurrences of `id` (ASCII case-insensitive, as the editor finds it) in every policy.
std::size_t count(std::span<const std::uint8_t> file, const std::string& id) {
    const IntuneResult r = parse_intune(file);
    require(r.ok());
    std::size_t n = 0;
    for (const auto& p : r.file.policies)
        for (const auto& s : p.settings) n += lower(s.definition_id) == lower(id);
    return n;
}

void set_then_unset(std::span<const std::uint8_t> in, const std::string& id,
                    const std::string& value, const std::optional<std::string>& policy) {
    const IntuneEdit set = intune_set(in, id, value, policy);
    if (!set.ok()) {
        require(one_line(set) && set.bytes.empty());
        return;
    }
    require(parse_intune(set.bytes).ok());
    require(set.changed != std::equal(in.begin(), in.end(), set.bytes.begin(), set.bytes.end()));
    const IntuneEdit again = intune_set(set.bytes, id, value, policy);
    require(again.ok() && !again.changed && again.bytes == set.bytes &&
            again.action == IntuneEdit::Action::unchanged && again.value == set.value);
    const IntuneEdit unset = intune_unset(set.bytes, id, policy);
    if (!unset.ok()) {
        require(one_line(unset));
        return;
    }
    require(parse_intune(unset.bytes).ok());
    require(unset.action == IntuneEdit::Action::removed);
    const IntuneEdit gone = intune_unset(unset.bytes, id, policy);
    require(gone.ok() && !gone.changed && gone.action == IntuneEdit::Action::unchanged);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    const IntuneResult r = parse_intune(in);
    if (r.offset > size) std::abort();
    if (!r.ok() && r.message.empty()) std::abort();
    if (r.message.find('\n') != std::string::npos) std::abort();
    for (const auto& p : r.file.policies) {
        for (const auto& s : p.settings) {
            if (s.json_pointer.empty() || s.json_pointer[0] != '/') std::abort();
        }
    }
    if (!r.ok() || r.file.policies.empty()) return 0;
    // The first policy, by id when it has one (names may repeat), else the only one.
    const auto& first = r.file.policies[0];
    std::optional<std::string> policy;
    if (r.file.policies.size() > 1) {
        if (first.id.empty()) return 0;
        policy = first.id;
    }
    set_then_unset(in, "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com",
                   size % 2 ? "enabled" : "disabled", policy);
    std::vector<std::string> ids;
    if (!first.settings.empty()) ids.push_back(first.settings.front().definition_id);
    if (first.settings.size() > 1) ids.push_back(first.settings.back().definition_id);
    for (const auto& id : ids) {
        // Only ids the editor can name; each value form in turn.
        if (count(in, id) != 1) continue;
        for (const char* v : {"1", "disabled", "7", "x"}) set_then_unset(in, id, v, policy);
    }
    return 0;
}
