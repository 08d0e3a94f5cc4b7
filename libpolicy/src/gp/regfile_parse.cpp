// Reader for registry editor exports (.reg), both dialects.
#include <algorithm>
#include <comredir/policy/gp/regfile.hpp>

#include "gp/regfile_lines.hpp"
#include "io/file_io.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

using detail::iequals;
using detail::trim;

constexpr std::string_view kHeader5 = "Windows Registry Editor Version 5.00";
constexpr std::string_view kHeader4 = "REGEDIT4";
constexpr std::string_view kHives[] = {"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_USERS",
                                       "HKEY_CLASSES_ROOT", "HKEY_CURRENT_CONFIG"};

using Line = detail::RegLine;
std::string snippet(std::string_view s) {
    return detail::reg_snippet(s);
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::uint32_t hex_value(char c) {
    if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint32_t>(c - 'a' + 10);
    return static_cast<std::uint32_t>(c - 'A' + 10);
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::size_t leading_blanks(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

/// Reads a `"..."` body starting just after the opening quote. Escapes: `\\` and `\"`.
/// Returns the index just past the closing quote, or npos; `bad_escape` is set to the
/// index of a backslash followed by anything else.
std::size_t read_quoted(std::string_view s, std::size_t i, std::string& out,
                        std::size_t& bad_escape) {
    bad_escape = std::string_view::npos;
    while (i < s.size()) {
        char c = s[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            if (i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == '"')) {
                out.push_back(s[i + 1]);
                i += 2;
                continue;
            }
            bad_escape = i;
            return std::string_view::npos;
        }
        out.push_back(c);
        ++i;
    }
    return std::string_view::npos;
}

class Parser {
  public:
    explicit Parser(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    RegFileResult run() {
        if (split() && header()) body();
        return std::move(result_);
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::vector<Line> lines_;
    RegFileResult result_;
    std::string section_;
    bool have_section_ = false;
    bool section_deleted_ = false;

    bool fail(RegFileStatus st, std::uint32_t line, std::uint64_t offset, const std::string& msg) {
        result_.status = st;
        result_.line = line;
        result_.offset = offset;
        result_.message = "line " + std::to_string(line) + ": " + msg;
        return false;
    }

    static std::uint64_t offset_of(const Line& l, std::size_t col) {
        return detail::reg_line_offset(l, col);
    }

    bool fail_at(RegFileStatus st, const Line& l, std::size_t col, const std::string& msg) {
        return fail(st, l.number, offset_of(l, col), msg);
    }

    bool split() {
        detail::RegLines split = detail::split_reg_lines(bytes_);
        lines_ = std::move(split.lines);
        result_.file.warnings = std::move(split.warnings);
        if (!split.ok) {
            return fail(RegFileStatus::bad_utf16, split.bad_line, split.bad_offset,
                        "offset " + detail::hex_offset(split.bad_offset) + ": invalid utf-16le");
        }
        return true;
    }

    bool header() {
        if (lines_.empty()) {
            std::uint64_t at = bytes_.size();
            return fail(RegFileStatus::bad_header, 1, at,
                        "empty file: expected `Windows Registry Editor Version 5.00` or "
                        "`REGEDIT4`");
        }
        std::string_view h = trim(lines_[0].text);
        if (h == kHeader5) {
            result_.file.unicode = true;
        } else if (h == kHeader4) {
            result_.file.unicode = false;
        } else {
            return fail(RegFileStatus::bad_header, 1, lines_[0].start,
                        "expected `Windows Registry Editor Version 5.00` or `REGEDIT4`, found `" +
                            snippet(h) + "`");
        }
        return true;
    }

    void body() {
        std::size_t li = 1;
        while (li < lines_.size()) {
            const Line& l = lines_[li];
            std::size_t lead = leading_blanks(l.text);
            std::string_view s = trim(l.text);
            if (s.empty() || s[0] == ';') {
                ++li;
                continue;
            }
            if (s[0] == '[') {
                if (!section(l, lead)) return;
                ++li;
                continue;
            }
            if (s[0] == '"' || s[0] == '@') {
                if (!value(li, lead)) return;
                continue;
            }
            fail_at(RegFileStatus::bad_line, l, lead,
                    "expected a `[key]` section, a value or a comment, found `" + snippet(s) + "`");
            return;
        }
    }

    bool section(const Line& l, std::size_t lead) {
        std::string_view s = trim(l.text);
        std::size_t close = s.rfind(']');
        if (close == std::string_view::npos) {
            return fail_at(RegFileStatus::bad_section, l, lead,
                           "section `" + snippet(s) + "` has no closing `]`");
        }
        if (close + 1 != s.size()) {
            return fail_at(RegFileStatus::bad_section, l, lead + close + 1,
                           "section `" + snippet(s.substr(0, close + 1)) + "`: text after `]`");
        }
        std::string_view inner = s.substr(1, close - 1);
        bool del = !inner.empty() && inner[0] == '-';
        std::size_t key_col = lead + 1 + (del ? 1 : 0);
        if (del) inner.remove_prefix(1);
        if (inner.empty()) {
            return fail_at(RegFileStatus::bad_section, l, lead, "section `[]` names no key");
        }
        std::string_view hive = inner.substr(0, inner.find('\\'));
        bool known = std::any_of(std::begin(kHives), std::end(kHives),
                                 [&](std::string_view h) { return iequals(h, hive); });
        if (!known) {
            return fail_at(RegFileStatus::unknown_hive, l, key_col,
                           "key `" + snippet(inner) + "`: unknown hive `" + snippet(hive) + "`");
        }
        section_ = std::string(inner);
        have_section_ = true;
        section_deleted_ = del;
        RegFileEntry e;
        e.kind = del ? RegFileEntry::Kind::delete_key : RegFileEntry::Kind::key;
        e.key = section_;
        e.line = l.number;
        result_.file.entries.push_back(std::move(e));
        return true;
    }

    /// Parses the value line at `li` (and its continuation lines); advances `li` past them.
    bool value(std::size_t& li, std::size_t lead) {
        const Line& l = lines_[li];
        std::string_view t = l.text;
        if (!have_section_) {
            return fail_at(
                RegFileStatus::value_outside_section, l, lead,
                "value line `" + snippet(trim(t)) + "` comes before any `[key]` section");
        }
        std::string name;
        std::size_t pos = lead;
        if (t[pos] == '@') {
            ++pos;
        } else {
            std::size_t bad = 0;
            std::size_t end = read_quoted(t, pos + 1, name, bad);
            if (end == std::string_view::npos) {
                if (bad != std::string_view::npos) {
                    return fail_at(
                        RegFileStatus::bad_value_name, l, bad,
                        "value name: unknown escape `" + snippet(t.substr(bad, 2)) + "`");
                }
                return fail_at(RegFileStatus::bad_value_name, l, lead,
                               "value name `" + snippet(t.substr(lead)) + "` has no closing quote");
            }
            pos = end;
        }
        const std::string what = t[lead] == '@' ? "value `@`" : "value `" + snippet(name) + "`";
        pos += leading_blanks(t.substr(pos));
        if (pos >= t.size() || t[pos] != '=') {
            return fail_at(RegFileStatus::expected_equals, l, pos,
                           what + ": expected `=` after the name");
        }
        ++pos;
        pos += leading_blanks(t.substr(pos));
        std::string_view rest = trim(t.substr(pos));

        RegFileEntry e;
        e.key = section_;
        e.value = name;
        e.line = l.number;
        if (rest == "-") {
            e.kind = RegFileEntry::Kind::delete_value;
            ++li;
        } else if (!rest.empty() && rest[0] == '"') {
            std::string text;
            std::size_t bad = 0;
            std::size_t end = read_quoted(rest, 1, text, bad);
            if (end == std::string_view::npos) {
                if (bad != std::string_view::npos) {
                    return fail_at(
                        RegFileStatus::bad_string, l, pos + bad,
                        what + ": unknown escape `" + snippet(rest.substr(bad, 2)) + "`");
                }
                return fail_at(RegFileStatus::bad_string, l, pos,
                               what + ": string `" + snippet(rest) + "` has no closing quote");
            }
            if (end != rest.size()) {
                return fail_at(
                    RegFileStatus::bad_string, l, pos + end,
                    what + ": text `" + snippet(rest.substr(end)) + "` after the closing quote");
            }
            std::string wide = detail::utf8_to_utf16le(text);
            e.data.type = static_cast<std::uint32_t>(RegType::sz);
            e.data.data.assign(wide.begin(), wide.end());
            e.data.data.push_back(0);
            e.data.data.push_back(0);
            ++li;
        } else if (istarts_with(rest, "dword:")) {
            std::string_view digits = rest.substr(6);
            if (digits.size() != 8 || !std::all_of(digits.begin(), digits.end(), is_hex)) {
                return fail_at(RegFileStatus::bad_dword, l, pos,
                               what + ": `" + snippet(rest) + "` needs 8 hex digits");
            }
            std::uint32_t v = 0;
            for (char c : digits) v = (v << 4) | hex_value(c);
            e.data.type = static_cast<std::uint32_t>(RegType::dword);
            e.data.data = {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                           static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
            ++li;
        } else if (istarts_with(rest, "hex")) {
            if (!hex_value_data(li, pos, rest, what, e.data)) return false;
        } else {
            return fail_at(RegFileStatus::bad_value, l, pos,
                           what + ": `" + snippet(rest) +
                               "` is not a value (expected `\"...\"`, `dword:`, `hex:`, "
                               "`hex(n):` or `-`)");
        }
        if (section_deleted_) {
            result_.file.warnings.push_back("line " + std::to_string(e.line) + ": " + what +
                                            " under deleted key `" + snippet(section_) +
                                            "` ignored");
            return true;
        }
        if (e.kind != RegFileEntry::Kind::delete_value) e.kind = RegFileEntry::Kind::set_value;
        result_.file.entries.push_back(std::move(e));
        return true;
    }

    /// `hex:` / `hex(N):` followed by a byte list, possibly continued over lines.
    bool hex_value_data(std::size_t& li, std::size_t pos, std::string_view rest,
                        const std::string& what, RegValue& out) {
        const Line& first = lines_[li];
        std::uint32_t type = static_cast<std::uint32_t>(RegType::binary);
        std::size_t i = 3;
        if (i < rest.size() && rest[i] == '(') {
            std::size_t close = rest.find(')', i);
            std::string_view digits = close == std::string_view::npos
                                          ? rest.substr(i + 1)
                                          : rest.substr(i + 1, close - i - 1);
            if (close == std::string_view::npos || digits.empty() || digits.size() > 8 ||
                !std::all_of(digits.begin(), digits.end(), is_hex)) {
                std::string_view shown = rest.substr(0, std::min(rest.find(':'), rest.size()));
                return fail_at(RegFileStatus::bad_hex_type, first, pos,
                               what + ": `" + snippet(shown) + "` is not a hex type");
            }
            type = 0;
            for (char c : digits) type = (type << 4) | hex_value(c);
            i = close + 1;
        }
        if (i >= rest.size() || rest[i] != ':') {
            return fail_at(RegFileStatus::bad_hex_type, first, pos + i,
                           what + ": expected `:` after `" + snippet(rest.substr(0, i)) + "`");
        }
        std::size_t col = pos + i + 1;
        std::vector<std::uint8_t> bytes;
        bool expect_byte = true;
        std::size_t cur = li;
        for (;;) {
            const Line& l = lines_[cur];
            std::string_view seg = std::string_view(l.text).substr(std::min(col, l.text.size()));
            while (!seg.empty() && (seg.back() == ' ' || seg.back() == '\t')) seg.remove_suffix(1);
            const bool cont = !seg.empty() && seg.back() == '\\';
            if (cont) seg.remove_suffix(1);
            std::size_t k = 0;
            while (k < seg.size()) {
                if (seg[k] == ' ' || seg[k] == '\t') {
                    ++k;
                    continue;
                }
                if (expect_byte) {
                    if (k + 1 < seg.size() && is_hex(seg[k]) && is_hex(seg[k + 1]) &&
                        (k + 2 == seg.size() || !is_hex(seg[k + 2]))) {
                        bytes.push_back(static_cast<std::uint8_t>((hex_value(seg[k]) << 4) |
                                                                  hex_value(seg[k + 1])));
                        k += 2;
                        expect_byte = false;
                        continue;
                    }
                    std::string_view tok = seg.substr(k, seg.find(',', k) - k);
                    return fail_at(RegFileStatus::bad_hex, l, col + k,
                                   what + ": `" + snippet(tok) + "` is not a hex byte");
                }
                if (seg[k] != ',') {
                    return fail_at(RegFileStatus::bad_hex, l, col + k,
                                   what + ": expected `,` before `" + snippet(seg.substr(k)) + "`");
                }
                expect_byte = true;
                ++k;
            }
            if (!cont) break;
            if (cur + 1 >= lines_.size()) {
                return fail(RegFileStatus::unexpected_eof_in_continuation, l.number, bytes_.size(),
                            what + ": file ends inside a continued hex list");
            }
            ++cur;
            col = 0;
        }
        li = cur + 1;
        const bool text_type = type == static_cast<std::uint32_t>(RegType::expand_sz) ||
                               type == static_cast<std::uint32_t>(RegType::multi_sz);
        if (text_type && !result_.file.unicode) {
            // REGEDIT4 writes these as ANSI bytes; the registry stores UTF-16LE.
            std::string ansi(bytes.begin(), bytes.end());
            std::string wide = detail::utf8_to_utf16le(detail::latin1_to_utf8(ansi));
            bytes.assign(wide.begin(), wide.end());
        }
        out.type = type;
        out.data = std::move(bytes);
        return true;
    }
};

}  // namespace

std::string_view to_string(RegFileStatus s) {
    switch (s) {
        case RegFileStatus::ok:
            return "ok";
        case RegFileStatus::io_error:
            return "io_error";
        case RegFileStatus::bad_header:
            return "bad_header";
        case RegFileStatus::bad_utf16:
            return "bad_utf16";
        case RegFileStatus::bad_section:
            return "bad_section";
        case RegFileStatus::unknown_hive:
            return "unknown_hive";
        case RegFileStatus::value_outside_section:
            return "value_outside_section";
        case RegFileStatus::bad_value_name:
            return "bad_value_name";
        case RegFileStatus::expected_equals:
            return "expected_equals";
        case RegFileStatus::bad_value:
            return "bad_value";
        case RegFileStatus::bad_string:
            return "bad_string";
        case RegFileStatus::bad_dword:
            return "bad_dword";
        case RegFileStatus::bad_hex:
            return "bad_hex";
        case RegFileStatus::bad_hex_type:
            return "bad_hex_type";
        case RegFileStatus::unexpected_eof_in_continuation:
            return "unexpected_eof_in_continuation";
        case RegFileStatus::bad_line:
            return "bad_line";
    }
    return "?";
}

RegFileResult parse_regfile(std::span<const std::uint8_t> bytes) {
    return Parser(bytes).run();
}

RegFileResult read_regfile(const std::string& path) {
    auto f = detail::read_file_bytes(path);
    if (!f.ok) {
        RegFileResult r;
        r.status = RegFileStatus::io_error;
        r.message = f.error;
        return r;
    }
    RegFileResult r = parse_regfile(f.bytes);
    if (!r.ok()) r.message = path + ": " + r.message;
    return r;
}

}  // namespace comredir::policy
