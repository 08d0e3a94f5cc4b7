// Cross-check: parse each .rdp file with FreeRDP 2 (freerdp_client_parse_rdp_file)
// and with comredir's reader; compare the redirection properties and armpath.
//
// usage: crosscheck_freerdp_rdp <file-or-dir>...   (directories: every *.rdp in them)
//        crosscheck_freerdp_rdp --expect LIST
// Prints one line per file/property and `N passed, M failed`; exits 1 on a mismatch.
//
// --expect: LIST holds one expectation per line, `FILE<TAB>NAME<TAB>TYPE<TAB>VALUE` (TYPE
// `i` or `s`; `-` with an empty VALUE: the property must be absent). Each FILE is read by
// FreeRDP and by comredir's reader (first occurrence), and both must give VALUE. Used on
// files written by `comredir-policy rdp set/unset` (freerdp_rdp_written.py).
//
// FreeRDP's getters return -1 / NULL both for "absent" and for names it does not
// know; such cases are printed as `absent` and count as a match only when our
// reader has no such property either. FreeRDP 2.11 keeps the FIRST of repeated
// names while RdpFile::find() keeps the last: values are compared against our first
// occurrence, and a `note:` line is printed where find() would give another value.
#include <freerdp/client/file.h>

#include <algorithm>
#include <comredir/policy/rdp/rdp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using comredir::policy::RdpEncoding;
using comredir::policy::RdpFile;
using comredir::policy::RdpProperty;

struct Checked {
    const char* name;
    char type;
};
constexpr Checked checked[] = {
    {"redirectcomports", 'i'},
    {"redirectclipboard", 'i'},
    {"redirectprinters", 'i'},
    {"redirectsmartcards", 'i'},
    {"redirectwebauthn", 'i'},
    {"redirectlocation", 'i'},
    {"audiomode", 'i'},
    {"audiocapturemode", 'i'},
    {"drivestoredirect", 's'},
    {"devicestoredirect", 's'},
    {"usbdevicestoredirect", 's'},
    {"camerastoredirect", 's'},
    {"armpath", 's'},
};

struct FileDeleter {
    void operator()(rdpFile* f) const { freerdp_client_rdp_file_free(f); }
};

std::vector<std::string> collect(int argc, char** argv) {
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path p(argv[i]);
        if (std::filesystem::is_directory(p)) {
            std::vector<std::string> in_dir;
            for (const auto& e : std::filesystem::directory_iterator(p)) {
                if (e.is_regular_file() && e.path().extension() == ".rdp") {
                    in_dir.push_back(e.path().string());
                }
            }
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else {
            files.push_back(p.string());
        }
    }
    return files;
}

std::string show(const RdpProperty* p, char type) {
    if (p == nullptr) {
        return "absent";
    }
    if (type == 'i') {
        return p->integer ? std::to_string(*p->integer) : "`" + p->value + "`";
    }
    return "`" + p->value + "`";
}

/// FreeRDP's reading of `name` as `type` (`-`: either), or nullopt when it reports none.
std::optional<std::string> freerdp_value(rdpFile* f, const std::string& name, char type) {
    if (type != 's') {
        const int v = freerdp_client_rdp_file_get_integer_option(f, name.c_str());
        if (v != -1) return std::to_string(v);
    }
    if (type != 'i') {
        const char* v = freerdp_client_rdp_file_get_string_option(f, name.c_str());
        if (v != nullptr) return std::string(v);
    }
    return std::nullopt;
}

int run_expect(const char* list) {
    std::ifstream in(list);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", list);
        return 2;
    }
    int passed = 0;
    int failed = 0;
    std::string row;
    while (std::getline(in, row)) {
        if (row.empty()) continue;
        std::vector<std::string> f;
        std::size_t pos = 0;
        for (std::size_t tab = 0; (tab = row.find('\t', pos)) != std::string::npos; pos = tab + 1) {
            f.push_back(row.substr(pos, tab - pos));
        }
        f.push_back(row.substr(pos));
        if (f.size() != 4 || f[2].size() != 1) {
            std::printf("FAIL bad expectation line `%s`\n", row.c_str());
            ++failed;
            continue;
        }
        const std::string& path = f[0];
        const std::string& name = f[1];
        const char type = f[2][0];
        const std::optional<std::string> want =
            type == '-' ? std::nullopt : std::optional<std::string>(f[3]);
        std::unique_ptr<rdpFile, FileDeleter> fr(freerdp_client_rdp_file_new());
        const bool fr_ok = fr && freerdp_client_parse_rdp_file(fr.get(), path.c_str()) != 0;
        auto ours = comredir::policy::read_rdp(path);
        std::optional<std::string> theirs = fr_ok ? freerdp_value(fr.get(), name, type)
                                                  : std::optional<std::string>("<parse failed>");
        std::optional<std::string> mine;
        if (!ours.ok()) {
            mine = "<parse failed: " + ours.message + ">";
        } else if (const RdpProperty* p = ours.file.find_first(name)) {
            mine = p->type == 'i' && p->integer ? std::to_string(*p->integer) : p->value;
            if (type != '-' && p->type != type) mine = "<type " + std::string(1, p->type) + ">";
        }
        const bool same = theirs == want && mine == want;
        auto shown = [](const std::optional<std::string>& v) {
            return v ? "`" + *v + "`" : std::string("absent");
        };
        const std::string file = std::filesystem::path(path).filename().string();
        std::printf("%s %s: %s:%c: want %s, freerdp %s, comredir %s\n", same ? "ok  " : "FAIL",
                    file.c_str(), name.c_str(), type, shown(want).c_str(), shown(theirs).c_str(),
                    shown(mine).c_str());
        (same ? passed : failed) += 1;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: crosscheck_freerdp_rdp <file-or-dir>...\n"
                     "       crosscheck_freerdp_rdp --expect LIST\n");
        return 2;
    }
    if (std::string(argv[1]) == "--expect") {
        if (argc != 3) {
            std::fprintf(stderr, "usage: crosscheck_freerdp_rdp --expect LIST\n");
            return 2;
        }
        return run_expect(argv[2]);
    }
    const auto files = collect(argc, argv);
    int passed = 0;
    int failed = 0;
    for (const auto& path : files) {
        const std::string file = std::filesystem::path(path).filename().string();
        auto ours = comredir::policy::read_rdp(path);
        std::unique_ptr<rdpFile, FileDeleter> fr(freerdp_client_rdp_file_new());
        const bool fr_ok = fr && freerdp_client_parse_rdp_file(fr.get(), path.c_str()) != 0;
        if (!ours.ok() || !fr_ok) {
            std::printf("FAIL %s: parse: comredir %s (%s), freerdp %s\n", file.c_str(),
                        std::string(to_string(ours.status)).c_str(), ours.message.c_str(),
                        fr_ok ? "ok" : "failed");
            ++failed;
            continue;
        }
        const RdpFile& f = ours.file;
        if (f.encoding == RdpEncoding::utf8_bom && !f.properties.empty()) {
            std::printf("note %s: utf-8 bom: freerdp 2 keeps the bom in the first name `%s`\n",
                        file.c_str(), f.properties.front().name.c_str());
        }
        for (const auto& c : checked) {
            const RdpProperty* first = f.find_first(c.name);
            const RdpProperty* last = f.find(c.name);
            const char type = first != nullptr ? first->type : c.type;
            std::string theirs;
            bool same = false;
            if (type == 'i') {
                const int v = freerdp_client_rdp_file_get_integer_option(fr.get(), c.name);
                theirs = v == -1 ? "absent/unknown" : std::to_string(v);
                same = first == nullptr ? v == -1 : first->integer && *first->integer == v;
            } else {
                const char* v = freerdp_client_rdp_file_get_string_option(fr.get(), c.name);
                theirs = v == nullptr ? "absent/unknown" : "`" + std::string(v) + "`";
                same = first == nullptr ? v == nullptr : v != nullptr && first->value == v;
            }
            const std::string mine = show(first, type);
            std::printf("%s %s: %s:%c: comredir %s, freerdp %s%s\n", same ? "ok  " : "FAIL",
                        file.c_str(), c.name, type, mine.c_str(), theirs.c_str(),
                        first == nullptr && same ? " (absent in both)" : "");
            if (first != last) {
                std::printf(
                    "note %s: %s repeated (lines %u and %u): comredir find() takes the "
                    "last (%s), freerdp 2 the first\n",
                    file.c_str(), c.name, first->line, last->line, show(last, last->type).c_str());
            }
            (same ? passed : failed) += 1;
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && !files.empty() ? 0 : 1;
}
