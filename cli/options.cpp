#include "options.hpp"

#include <algorithm>
#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <utility>

#include "command.hpp"

namespace comredir::cli {

bool iequals(std::string_view a, std::string_view b) {
    auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return low(x) == low(y); });
}

std::string printable(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            const auto c1 = static_cast<unsigned char>(s[++i]);
            out += "\\u00";
            out += kHex[c1 >> 4];
            out += kHex[c1 & 0xF];
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> slurp(const std::string& path) {
    auto r = policy::read_regular_file(path);
    if (!r.ok) return std::nullopt;
    return std::move(r.bytes);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

std::vector<std::string> product_names() {
    std::vector<std::string> out;
    for (auto p : policy::kAllProducts) out.emplace_back(policy::to_string(p));
    return out;
}

std::vector<std::string> client_os_names() {
    std::vector<std::string> out;
    for (auto os : policy::kAllClientOs) out.emplace_back(policy::to_string(os));
    return out;
}

std::optional<std::vector<const policy::Feature*>> resolve_features(
    const std::vector<std::string>& ids) {
    std::vector<const policy::Feature*> out;
    for (const auto& id : ids) {
        if (id == "all") return std::vector<const policy::Feature*>{};
        const auto* f = policy::find_feature(id);
        if (f == nullptr) {
            std::vector<std::string> known;
            for (const auto& k : policy::features()) known.emplace_back(k.id);
            print_error("unknown feature `" + id + "` (known: " + join(known, ", ") + ")");
            return std::nullopt;
        }
        out.push_back(f);
    }
    return out;
}

bool replace_file(const std::string& path, const std::vector<std::uint8_t>& before,
                  const std::vector<std::uint8_t>& after, bool backup) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    const auto perms = ec ? mode_t{0644} : static_cast<mode_t>(st.permissions());
    if (backup) {
        if (auto w = policy::write_file_atomic(path + ".bak", before, perms & 0777); !w.ok) {
            print_error(w.message);
            return false;
        }
    }
    if (auto w = policy::write_file_atomic(path, after); !w.ok) {
        print_error(w.message);
        return false;
    }
    if (slurp(path) != after) {
        print_error(path +
                    ": reads back other bytes than were written (changed by another program?)");
        return false;
    }
    return true;
}

std::optional<std::vector<std::uint8_t>> lock_and_read(const std::string& path, bool dry_run,
                                                       policy::FolderLockResult& lock) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        print_error(
            path + (std::filesystem::exists(path, ec) ? ": not a regular file" : ": no such file"));
        return std::nullopt;
    }
    if (!dry_run) {
        lock = policy::lock_folder_of(path, std::chrono::seconds(30));
        if (!lock.ok()) {
            print_error(lock.message);
            return std::nullopt;
        }
    }
    auto r = policy::read_regular_file(path);
    if (!r.ok) {
        print_error(r.message);
        return std::nullopt;
    }
    return std::move(r.bytes);
}

}  // namespace comredir::cli
