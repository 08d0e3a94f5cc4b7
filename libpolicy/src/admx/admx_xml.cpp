// Internal: XML text handling shared by the ADMX loader and the ADMX validator.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "admx/admx_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

bool xml_text(std::span<const std::uint8_t> bytes, std::string& out) {
    if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        auto t = utf16le_to_utf8(bytes.subspan(2, (bytes.size() - 2) & ~std::size_t{1}));
        if (!t) return false;
        out = std::move(*t);
        return true;
    }
    if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
        bytes = bytes.subspan(3);
    }
    out.assign(bytes.begin(), bytes.end());
    return true;
}

std::vector<std::size_t> line_starts(const std::string& text) {
    std::vector<std::size_t> out{0};
    for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1)) {
        out.push_back(nl + 1);  // find() is memchr: much faster than a byte loop
    }
    return out;
}

bool load_xml(const std::string& text, const std::string& file, pugi::xml_document& doc,
              std::vector<AdmxError>& errors) {
    auto r = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (r) return true;
    AdmxError e;
    e.kind = AdmxErrorKind::xml;
    e.file = file;
    std::size_t off =
        std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(r.offset, 0)), text.size());
    std::size_t nl = off == 0 ? std::string::npos : text.rfind('\n', off - 1);
    std::size_t start = nl == std::string::npos ? 0 : nl + 1;
    e.line = static_cast<std::uint32_t>(
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
    std::uint32_t col = 1;
    for (std::size_t i = start; i < off; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
    }
    e.column = col;
    e.message = file + ": line " + std::to_string(e.line) + ": column " + std::to_string(col) +
                ": xml: " + ascii_lower(r.description());
    errors.push_back(std::move(e));
    return false;
}

}  // namespace comredir::policy::detail
