// Editing .rdp files in memory. A tolerant scan keeps every line as the bytes it was
// (content and terminator); set/unset then replace, remove or append single lines, and the
// result is read back before it is returned.
#include <algorithm>
#include <comredir/policy/rdp/rdp_edit.hpp>

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"
#include "rdp/rdp_lines.hpp"

namespace comredir::policy {

namespace {

using detail::iequals;
using detail::RdpImage;
using detail::RdpLine;

/// What to do with the scanned lines.
struct Plan {
    std::vector<bool> removed;
    std::optional<std::size_t> replace;  ///< index of the line whose content is replaced
    std::string content;                 ///< encoded new content (replace or append)
    std::string text;                    ///< the same as UTF-8
    bool append = false;
};

/// The edited bytes and, per output line, its UTF-8 text.
std::vector<std::uint8_t> assemble(std::span<const std::uint8_t> b, const RdpImage& img,
                                   const Plan& p, std::vector<std::string>& texts) {
    struct Out {
        std::string_view content;
        std::string_view term;
    };
    auto view = [&](std::size_t from, std::size_t to) {
        return std::string_view(reinterpret_cast<const char*>(b.data()) + from, to - from);
    };
    std::vector<Out> out;
    for (std::size_t i = 0; i < img.lines.size(); ++i) {
        if (p.removed[i]) continue;
        const RdpLine& l = img.lines[i];
        const bool here = p.replace == i;
        // A line that had no terminator (the last) gets the file's when lines follow it.
        out.push_back({here ? std::string_view(p.content) : view(l.start, l.end),
                       l.next > l.end ? view(l.end, l.next) : std::string_view(img.eol)});
        texts.push_back(here ? p.text : l.text);
    }
    if (p.append) {
        out.push_back({p.content, img.eol});
        texts.push_back(p.text);
    }
    if (!img.final_newline && !out.empty()) out.back().term = {};
    std::vector<std::uint8_t> bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(img.bom));
    for (const auto& o : out) {
        bytes.insert(bytes.end(), o.content.begin(), o.content.end());
        bytes.insert(bytes.end(), o.term.begin(), o.term.end());
    }
    return bytes;
}

std::string lines_text(const std::vector<std::uint32_t>& lines) {
    std::string out = lines.size() == 1 ? "line " : "lines ";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += (i == 0 ? "" : ", ") + std::to_string(lines[i]);
    }
    return out;
}

bool is_signature_name(std::string_view n) {
    return iequals(n, "signscope") || iequals(n, "signature");
}

std::string check_name(std::string_view name) {
    const std::string q = "`" + detail::rdp_snippet(name) + "`";
    if (name.empty()) return "property name is empty";
    if (!detail::valid_utf8(name)) return "property name is not valid utf-8";
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) return "property name " + q + " holds a control character";
    }
    if (name.find(':') != std::string_view::npos) return "property name " + q + " holds `:`";
    if (name.front() == ' ' || name.back() == ' ') {
        return "property name " + q + " has spaces at an end";
    }
    if (name.front() == ';') {
        return "property name " + q +
               " starts with `;`: mstsc, FreeRDP and comredir read such a line as a comment";
    }
    if (name.front() == '/') {
        return "property name " + q +
               " starts with `/`: FreeRDP reads such a line as a command-line option";
    }
    return {};
}

/// The value as it is written for `type`, or a message.
struct Checked {
    std::string value;
    std::string error;
};
Checked check_value(char type, std::string_view value) {
    Checked c;
    const std::string q = "value `" + detail::rdp_snippet(value) + "`";
    if (type == 'i') {
        auto v = detail::parse_rdp_integer(value);
        if (!v) {
            const bool digits =
                !value.empty() && value.find_first_not_of("-0123456789") == std::string_view::npos;
            c.error = q + " is not an integer" + (digits ? " in the int32 range" : "");
        } else {
            c.value = std::to_string(*v);
        }
        return c;
    }
    if (!detail::valid_utf8(value)) {
        c.error = "value is not valid utf-8";
        return c;
    }
    if (type == 'b') {
        if (value.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
            c.error = q + " is not hex digits";
        }
    } else if (value.find_first_of("\r\n") != std::string_view::npos) {
        c.error = q + " holds a line break";
    } else if (std::any_of(value.begin(), value.end(), [](char ch) {
                   const auto u = static_cast<unsigned char>(ch);
                   return (u < 0x20 && u != '\t') || u == 0x7F;
               })) {
        c.error = q + " holds a control character";
    } else if (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                  value.back() == ' ' || value.back() == '\t')) {
        c.error = q + " has spaces at an end (FreeRDP 3 trims them)";
    }
    if (c.error.empty()) c.value = std::string(value);
    return c;
}

RdpFileEdit fail(RdpFileEdit r, RdpFileEditStatus status, std::string message,
                 std::span<const std::uint8_t> input) {
    r.status = status;
    r.message = std::move(message);
    r.bytes.assign(input.begin(), input.end());
    r.changed = false;
    return r;
}

/// Reads the edited bytes back: every line must read as intended (an ANSI file that loses its
/// last non-ASCII byte is then detected as UTF-8: fine, as every line still reads the same),
/// and so must the property's first occurrence (`want` empty: absent), also in comredir's
/// strict reader when it accepted the input. Returns an empty string when all holds.
std::string reread(std::span<const std::uint8_t> input, const std::vector<std::uint8_t>& out,
                   const std::vector<std::string>& texts, std::string_view name,
                   const std::optional<std::string>& want) {
    auto again = detail::scan_rdp_lines(out);
    if (!again.image) return again.error;
    if (again.image->lines.size() != texts.size()) return "the line count differs";
    const RdpLine* first = nullptr;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const RdpLine& l = again.image->lines[i];
        if (l.text != texts[i]) return "line " + std::to_string(i + 1) + " would read differently";
        if (first == nullptr && l.property && iequals(l.name, name)) first = &l;
    }
    if ((first == nullptr) != !want.has_value() || (first != nullptr && first->text != *want)) {
        return "the property would not read as intended";
    }
    if (!parse_rdp(input).ok()) return {};
    auto strict = parse_rdp(out);
    if (!strict.ok()) return "comredir's reader would reject it: " + strict.message;
    const RdpProperty* p = strict.file.find_first(name);
    if ((p == nullptr) != !want.has_value() || (p != nullptr && p->text != *want)) {
        return "comredir's reader would see another value";
    }
    return {};
}

/// Lines to strip for a change, or the refusal message; `removed` is updated.
std::string handle_signature(const RdpImage& img, const RdpFileEditOptions& opt, RdpFileEdit& r,
                             std::vector<bool>& removed) {
    std::vector<std::uint32_t> lines;
    for (std::size_t i = 0; i < img.lines.size(); ++i) {
        if (img.lines[i].property && is_signature_name(img.lines[i].name)) {
            lines.push_back(static_cast<std::uint32_t>(i + 1));
        }
    }
    if (lines.empty()) return {};
    if (!opt.strip_signature) {
        return "the file is signed (`signscope`/`signature`, " + lines_text(lines) +
               "): any change invalidates the signature and the client would then warn or "
               "refuse to connect; --strip-signature removes the signature as part of the edit";
    }
    for (auto n : lines) removed[n - 1] = true;
    r.signature_stripped = true;
    r.signature_lines = lines;
    r.notes.push_back("signature removed (" + lines_text(lines) +
                      "): sign the file again (rdpsign) where clients require signed files");
    return {};
}

/// Fills the bytes of `r` from the plan after reading them back.
RdpFileEdit finish(RdpFileEdit r, std::span<const std::uint8_t> input, const RdpImage& img,
                   const Plan& p, const std::optional<std::string>& want) {
    std::vector<std::string> texts;
    auto out = assemble(input, img, p, texts);
    std::string why = reread(input, out, texts, r.name, want);
    if (!why.empty()) {
        return fail(std::move(r), RdpFileEditStatus::reread_failed,
                    "the edited file would not read back as intended: " + why + "; nothing changed",
                    input);
    }
    for (std::size_t i = 0; i < img.lines.size(); ++i) {
        if (p.removed[i]) r.removed_lines.push_back(static_cast<std::uint32_t>(i + 1));
    }
    r.changed = out.size() != input.size() || !std::equal(out.begin(), out.end(), input.begin());
    r.bytes = std::move(out);
    return r;
}

/// What both edits do first: scan the file and check the name. On a problem `r` becomes
/// the failure and nullopt is returned.
std::optional<RdpImage> start(RdpFileEdit& r, std::span<const std::uint8_t> bytes,
                              std::string_view name) {
    r.name = std::string(name);
    auto scanned = detail::scan_rdp_lines(bytes);
    if (!scanned.image) {
        r = fail(std::move(r), RdpFileEditStatus::bad_file, scanned.error, bytes);
        return std::nullopt;
    }
    r.encoding = scanned.image->encoding;
    if (auto e = check_name(name); !e.empty()) {
        r = fail(std::move(r), RdpFileEditStatus::bad_name, e, bytes);
        return std::nullopt;
    }
    return std::move(scanned.image);
}

}  // namespace

RdpFileEdit rdp_file_set(std::span<const std::uint8_t> bytes, std::string_view name,
                         std::optional<char> type, std::string_view value,
                         const RdpFileEditOptions& options) {
    RdpFileEdit r;
    auto scanned = start(r, bytes, name);
    if (!scanned) return r;
    const RdpImage& img = *scanned;
    if (is_signature_name(name)) {
        return fail(
            std::move(r), RdpFileEditStatus::bad_name,
            "`" + std::string(name) + "` is written by the signing tool (rdpsign), not by hand",
            bytes);
    }
    if (type && *type != 'i' && *type != 's' && *type != 'b') {
        return fail(std::move(r), RdpFileEditStatus::bad_type,
                    "type `" + detail::rdp_snippet(std::string_view(&*type, 1)) +
                        "` is not one of `i`, `s`, `b`",
                    bytes);
    }
    std::optional<std::size_t> at;
    for (std::size_t i = 0; i < img.lines.size(); ++i) {
        if (!img.lines[i].property || !iequals(img.lines[i].name, name)) continue;
        if (at) {
            r.repeats.push_back(static_cast<std::uint32_t>(i + 1));
        } else {
            at = i;
        }
    }
    const auto known = rdp_known_type(name);
    std::string where;
    if (type) {
        r.type = *type;
        r.type_source = RdpTypeSource::given;
    } else if (at) {
        r.type = img.lines[*at].type;
        r.type_source = RdpTypeSource::existing;
        where = " (type `" + std::string(1, r.type) + "` on line " + std::to_string(*at + 1) + ")";
    } else if (known) {
        r.type = *known;
        r.type_source = RdpTypeSource::known;
        where = " (type `" + std::string(1, r.type) + "` as documented)";
    } else {
        r.type = detail::parse_rdp_integer(value) ? 'i' : 's';
        r.type_source = RdpTypeSource::inferred;
    }
    auto checked = check_value(r.type, value);
    if (!checked.error.empty()) {
        return fail(std::move(r), RdpFileEditStatus::bad_value,
                    "property `" + detail::rdp_snippet(name) + "`" + where + ": " + checked.error,
                    bytes);
    }
    r.value = checked.value;
    if (at) r.name = img.lines[*at].name;  // keep the file's spelling
    Plan p;
    p.removed.assign(img.lines.size(), false);
    p.text = r.name + ":" + std::string(1, r.type) + ":" + r.value;
    if (!r.repeats.empty()) {
        r.notes.push_back("`" + r.name + "` repeats on " + lines_text(r.repeats) +
                          (r.repeats.size() == 1 ? ", left as it is" : ", left as they are") +
                          ": FreeRDP and comredir read the first occurrence, line " +
                          std::to_string(*at + 1) + "; unset and set again to keep one line");
    }
    if (at && img.lines[*at].text == p.text) {  // already so: nothing to do
        r.previous = p.text;
        r.line = static_cast<std::uint32_t>(*at + 1);
        r.bytes.assign(bytes.begin(), bytes.end());
        return r;
    }
    auto content = detail::encode_rdp_text(img.mode, p.text);
    if (!content) {
        return fail(std::move(r), RdpFileEditStatus::not_encodable,
                    "value `" + detail::rdp_snippet(value) + "` cannot be written in this " +
                        std::string(to_string(img.encoding)) +
                        " file (latin-1 holds U+0000..U+00FF only)",
                    bytes);
    }
    if (content->size() > rdp_max_line_bytes) {
        return fail(std::move(r), RdpFileEditStatus::bad_value,
                    "property `" + detail::rdp_snippet(name) + "`: the line would be longer than " +
                        std::to_string(rdp_max_line_bytes) + " bytes",
                    bytes);
    }
    p.content = std::move(*content);
    if (auto refused = handle_signature(img, options, r, p.removed); !refused.empty()) {
        return fail(std::move(r), RdpFileEditStatus::signed_file, refused, bytes);
    }
    if (at) {
        p.replace = at;
        r.previous = img.lines[*at].text;
        std::uint32_t kept = 0;
        for (std::size_t i = 0; i < *at; ++i) kept += p.removed[i] ? 0 : 1;
        r.line = kept + 1;
    } else {
        p.append = true;
        r.added = true;
        std::uint32_t kept = 0;
        for (bool gone : p.removed) kept += gone ? 0 : 1;
        r.line = kept + 1;
    }
    if (type && at && img.lines[*at].type != *type) {
        r.notes.push_back("line " + std::to_string(*at + 1) + " changes type from `" +
                          std::string(1, img.lines[*at].type) + "` to `" + *type + "`");
    }
    // A new name that is not documented: perhaps a typo of one that is.
    const auto close = !at && !known ? rdp_suggest_name(r.name) : std::nullopt;
    const std::string did_you_mean = close ? " (did you mean `" + *close + "`?)" : "";
    if (r.type_source == RdpTypeSource::inferred) {
        r.notes.push_back("`" + r.name + "` is not a documented property" + did_you_mean +
                          ": type `" + std::string(1, r.type) + "` inferred from the value (`" +
                          r.name + ":s:VALUE` writes a string)");
    } else if (close) {
        r.notes.push_back("`" + r.name + "` is not a documented property" + did_you_mean);
    }
    if (r.type == 'i' && r.value != value) {
        r.notes.push_back("integer `" + detail::rdp_snippet(value) + "` written as `" + r.value +
                          "` (FreeRDP reads a leading 0 as octal)");
    }
    if (r.type == 'i' && r.value.front() == '-') {
        r.notes.push_back("FreeRDP 2 reads a negative integer as if `" + r.name + "` were not set");
    }
    if (img.encoding == RdpEncoding::utf8_bom && r.line == 1) {
        r.notes.push_back(
            "line 1 of a utf-8 file with a bom: FreeRDP 2 reads the bom as part of "
            "the name and does not see `" +
            r.name + "`");
    }
    return finish(std::move(r), bytes, img, p, p.text);
}

RdpFileEdit rdp_file_unset(std::span<const std::uint8_t> bytes, std::string_view name,
                           const RdpFileEditOptions& options) {
    RdpFileEdit r;
    auto scanned = start(r, bytes, name);
    if (!scanned) return r;
    const RdpImage& img = *scanned;
    Plan p;
    p.removed.assign(img.lines.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < img.lines.size(); ++i) {
        if (img.lines[i].property && iequals(img.lines[i].name, name)) {
            p.removed[i] = true;
            any = true;
        }
    }
    if (!any) {
        r.bytes.assign(bytes.begin(), bytes.end());
        return r;
    }
    if (auto refused = handle_signature(img, options, r, p.removed); !refused.empty()) {
        return fail(std::move(r), RdpFileEditStatus::signed_file, refused, bytes);
    }
    return finish(std::move(r), bytes, img, p, std::nullopt);
}

std::optional<std::vector<std::string>> rdp_text_lines(std::span<const std::uint8_t> bytes) {
    auto scanned = detail::scan_rdp_lines(bytes);
    if (!scanned.image) return std::nullopt;
    std::vector<std::string> out;
    out.reserve(scanned.image->lines.size());
    for (auto& l : scanned.image->lines) out.push_back(std::move(l.text));
    return out;
}

}  // namespace comredir::policy
