// The .rdp file reader: decoding, line splitting, and the RdpFile accessors.
#include <comredir/policy/rdp/rdp.hpp>
#include <cstring>
#include <vector>

#include "io/file_io.hpp"
#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"

namespace comredir::policy {

using detail::hex_offset;

std::string_view to_string(RdpEncoding e) {
    switch (e) {
        case RdpEncoding::utf8:
            return "utf8";
        case RdpEncoding::utf8_bom:
            return "utf8_bom";
        case RdpEncoding::utf16le_bom:
            return "utf16le_bom";
        case RdpEncoding::ansi:
            return "ansi";
    }
    return "unknown";
}

std::string_view to_string(RdpStatus s) {
    switch (s) {
        case RdpStatus::ok:
            return "ok";
        case RdpStatus::io_error:
            return "io_error";
        case RdpStatus::bad_utf16:
            return "bad_utf16";
        case RdpStatus::missing_type_separator:
            return "missing_type_separator";
        case RdpStatus::bad_type:
            return "bad_type";
        case RdpStatus::bad_integer:
            return "bad_integer";
        case RdpStatus::empty_name:
            return "empty_name";
        case RdpStatus::nul_in_text:
            return "nul_in_text";
        case RdpStatus::line_too_long:
            return "line_too_long";
    }
    return "unknown";
}

const RdpProperty* RdpFile::find(std::string_view name) const {
    for (auto it = properties.rbegin(); it != properties.rend(); ++it) {
        if (detail::iequals(it->name, name)) {
            return &*it;
        }
    }
    return nullptr;
}

const RdpProperty* RdpFile::find_first(std::string_view name) const {
    for (const auto& p : properties) {
        if (detail::iequals(p.name, name)) {
            return &p;
        }
    }
    return nullptr;
}

std::optional<std::string> RdpFile::arm_path() const {
    const RdpProperty* p = find_first("armpath");
    if (p == nullptr || p->type != 's') {
        return std::nullopt;
    }
    return p->value;
}

std::optional<std::string> RdpFile::host_pool_name() const {
    auto path = arm_path();
    if (!path) {
        return std::nullopt;
    }
    std::string_view s = *path;
    if (!s.empty() && s.back() == '/') {
        s.remove_suffix(1);
    }
    const auto last = s.rfind('/');
    if (last == std::string_view::npos || last + 1 >= s.size()) {
        return std::nullopt;
    }
    const std::string_view name = s.substr(last + 1);
    const std::string_view parent_path = s.substr(0, last);
    const auto prev = parent_path.rfind('/');
    const std::string_view parent =
        prev == std::string_view::npos ? parent_path : parent_path.substr(prev + 1);
    if (!detail::iequals(parent, "hostpools")) {
        return std::nullopt;
    }
    return std::string(name);
}

namespace {

/// How line bytes become UTF-8 (differs from RdpEncoding for a UTF-8 BOM file whose
/// body is not valid UTF-8: read as Latin-1 but still `utf8_bom`).
enum class Decode { utf8, latin1, utf16 };

/// Bytes in the original encoding that the UTF-8 prefix `decoded` came from.
std::uint64_t original_length(Decode mode, std::string_view decoded) {
    if (mode == Decode::utf8) {
        return decoded.size();
    }
    std::uint64_t n = 0;
    for (char ch : decoded) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) == 0x80) {
            continue;  // continuation byte
        }
        if (mode == Decode::latin1) {
            n += 1;
        } else {
            n += c >= 0xF0 ? 4 : 2;  // supplementary planes take a surrogate pair
        }
    }
    return n;
}

class FileParser {
  public:
    explicit FileParser(std::span<const std::uint8_t> bytes) : b_(bytes) {}

    RdpResult run() {
        detect();
        r_.file.properties.reserve(b_.size() / 24);  // real lines average 25-40 bytes
        const std::size_t unit = mode_ == Decode::utf16 ? 2 : 1;
        const std::size_t end = start_ + (b_.size() - start_) / unit * unit;  // whole units
        const bool stray = end != b_.size();  // odd trailing byte in UTF-16
        std::size_t pos = start_;
        std::uint32_t line = 1;
        while (pos < end || stray) {
            std::size_t le = line_end(pos, end);
            if (le == end && stray) {
                error(RdpStatus::bad_utf16, b_.size() - 1, line,
                      "line " + std::to_string(line) + ": offset " + hex_offset(b_.size() - 1) +
                          ": odd number of bytes in utf-16 text");
                return std::move(r_);
            }
            if (le - pos > rdp_max_line_bytes) {
                error(RdpStatus::line_too_long, pos, line,
                      "line " + std::to_string(line) + ": longer than " +
                          std::to_string(rdp_max_line_bytes) + " bytes");
                return std::move(r_);
            }
            if (!handle_line(pos, le, line)) {
                return std::move(r_);
            }
            if (le == end) {
                break;
            }
            std::size_t next = le + unit;
            if (at(le) == '\r' && next < end && at(next) == '\n') {
                next += unit;
            }
            if (r_.file.eol.empty()) {
                r_.file.eol = at(le) == '\n' ? "\n" : next - le == 2 * unit ? "\r\n" : "\r";
            }
            pos = next;
            ++line;
        }
        detail::warn_rdp_duplicates(r_.file, "line");
        note_comments();
        return std::move(r_);
    }

  private:
    /// First CR or LF at or after `pos` (or `end`). Byte modes use memchr for LF and then
    /// look for a CR only before it (CRs come right before LFs in real files).
    std::size_t line_end(std::size_t pos, std::size_t end) const {
        if (mode_ == Decode::utf16) {
            std::size_t le = pos;
            while (le < end && !is_eol(at(le))) le += 2;
            return le;
        }
        const auto* base = b_.data();
        const void* lf = std::memchr(base + pos, '\n', end - pos);
        std::size_t stop =
            lf == nullptr ? end
                          : static_cast<std::size_t>(static_cast<const std::uint8_t*>(lf) - base);
        const void* cr = std::memchr(base + pos, '\r', stop - pos);
        return cr == nullptr
                   ? stop
                   : static_cast<std::size_t>(static_cast<const std::uint8_t*>(cr) - base);
    }

    void detect() {
        const auto s = b_;
        if (s.size() >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
            r_.file.encoding = RdpEncoding::utf16le_bom;
            mode_ = Decode::utf16;
            start_ = 2;
            return;
        }
        if (s.size() >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
            r_.file.encoding = RdpEncoding::utf8_bom;
            start_ = 3;
        }
        const std::string_view body(reinterpret_cast<const char*>(s.data()) + start_,
                                    s.size() - start_);
        std::size_t bad = 0;
        if (detail::valid_utf8(body, &bad)) {
            return;
        }
        mode_ = Decode::latin1;
        if (r_.file.encoding == RdpEncoding::utf8) {
            r_.file.encoding = RdpEncoding::ansi;
        }
        r_.file.warnings.push_back("offset " + hex_offset(start_ + bad) +
                                   ": not valid utf-8: text read as ansi (latin-1)");
    }

    std::uint32_t at(std::size_t i) const {
        if (mode_ == Decode::utf16) {
            return b_[i] | (static_cast<std::uint32_t>(b_[i + 1]) << 8);
        }
        return b_[i];
    }
    static bool is_eol(std::uint32_t u) { return u == '\r' || u == '\n'; }

    /// One note for all comment lines: the first few line numbers, then how many more.
    void note_comments() {
        if (comments_.empty()) return;
        constexpr std::size_t shown = 10;
        std::string out = comments_.size() == 1 ? "line " : "lines ";
        for (std::size_t i = 0; i < comments_.size() && i < shown; ++i) {
            out += (i == 0 ? "" : ", ") + std::to_string(comments_[i]);
        }
        if (comments_.size() > shown) {
            out += " and " + std::to_string(comments_.size() - shown) + " more";
        }
        out += comments_.size() == 1 ? ": comment (`;`) skipped" : ": comments (`;`) skipped";
        r_.file.notes.push_back(out + ", as mstsc and FreeRDP skip them");
    }

    void error(RdpStatus status, std::uint64_t offset, std::uint32_t line, std::string msg) {
        r_.status = status;
        r_.offset = offset;
        r_.line = line;
        r_.message = std::move(msg);
    }

    bool handle_line(std::size_t ls, std::size_t le, std::uint32_t line) {
        auto where = [line] { return "line " + std::to_string(line) + ": "; };
        const auto raw = b_.subspan(ls, le - ls);
        std::string text;
        if (mode_ == Decode::utf16) {
            std::size_t bad = 0;
            auto decoded = detail::utf16le_to_utf8(raw, &bad);
            if (!decoded) {
                error(RdpStatus::bad_utf16, ls + bad, line,
                      where() + "offset " + hex_offset(ls + bad) + ": unpaired utf-16 surrogate");
                return false;
            }
            text = std::move(*decoded);
        } else {
            const std::string_view sv(reinterpret_cast<const char*>(raw.data()), raw.size());
            text = mode_ == Decode::latin1 ? detail::latin1_to_utf8(sv) : std::string(sv);
        }
        if (auto nul = text.find('\0'); nul != std::string::npos) {
            const std::uint64_t off =
                ls + original_length(mode_, std::string_view(text).substr(0, nul));
            // `a\0:\0` at a line start: most likely UTF-16LE saved without its BOM.
            const bool utf16_like = mode_ != Decode::utf16 && nul == 1 && text[0] != '\0';
            const std::string hint = utf16_like ? " (utf-16 text without a bom?)" : "";
            error(RdpStatus::nul_in_text, off, line,
                  where() + "offset " + hex_offset(off) + ": nul character in text" + hint);
            return false;
        }
        if (detail::trim(text).empty()) {
            return true;  // blank line
        }
        if (detail::is_rdp_comment(text)) {
            comments_.push_back(line);
            return true;
        }
        auto parsed = detail::parse_rdp_property_text(text);
        if (parsed.status != RdpStatus::ok) {
            const std::uint64_t off =
                ls + original_length(mode_, std::string_view(text).substr(0, parsed.pos));
            error(parsed.status, off, line, where() + parsed.message);
            return false;
        }
        RdpProperty p;
        p.name = std::string(parsed.name);
        p.type = parsed.type;
        p.value = std::string(parsed.value);
        p.integer = parsed.integer;
        p.line = line;
        p.offset = ls;
        p.length = le - ls;
        p.text = std::move(text);
        r_.file.properties.push_back(std::move(p));
        return true;
    }

    std::span<const std::uint8_t> b_;
    Decode mode_ = Decode::utf8;
    std::size_t start_ = 0;
    std::vector<std::uint32_t> comments_;  ///< lines skipped as comments
    RdpResult r_;
};

}  // namespace

RdpResult parse_rdp(std::span<const std::uint8_t> bytes) {
    return FileParser(bytes).run();
}

RdpResult read_rdp(const std::string& path) {
    auto fb = detail::read_file_bytes(path, 64u << 20);
    if (!fb.ok) {
        RdpResult r;
        r.status = RdpStatus::io_error;
        r.message = fb.error;
        return r;
    }
    RdpResult r = parse_rdp(fb.bytes);
    if (!r.ok()) {
        r.message = path + ": " + r.message;
    }
    return r;
}

}  // namespace comredir::policy
