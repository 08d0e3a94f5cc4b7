#pragma once
// Internal: the .rdp editor's tolerant view of a file. Every line is kept as the bytes it was
// (content and terminator) with its UTF-8 text; lines that are not `name:type:value` are
// kept too (the editor never rewrites them). Decoding follows parse_rdp: BOM FF FE ->
// UTF-16LE; EF BB BF -> UTF-8 (Latin-1 when the body is not valid UTF-8); no BOM -> UTF-8
// when valid, else ANSI read as Latin-1; lines end with CRLF, LF or a lone CR.

#include <comredir/policy/rdp/rdp.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// How the bytes of a line become UTF-8.
enum class RdpDecode { utf8, latin1, utf16 };

/// One line: `property` when it reads as `name:t:value` (a bad integer included), with the
/// name as written and the type character.
struct RdpLine {
    std::size_t start = 0;  ///< content is [start, end), the terminator [end, next)
    std::size_t end = 0;
    std::size_t next = 0;
    std::string text;  ///< content as UTF-8
    bool property = false;
    std::string name;
    char type = 's';
};

struct RdpImage {
    RdpDecode mode = RdpDecode::utf8;
    RdpEncoding encoding = RdpEncoding::utf8;
    std::size_t bom = 0;
    std::vector<RdpLine> lines;
    std::string eol;            ///< terminator for new lines: the first in the file, else CRLF
    bool final_newline = true;  ///< false when the last line has no terminator
};

struct RdpScan {
    std::optional<RdpImage> image;
    std::string error;
};

/// Scans a whole file; `error` (one line, no file name) when the bytes do not decode: an odd
/// UTF-16 byte count or an unpaired surrogate.
RdpScan scan_rdp_lines(std::span<const std::uint8_t> bytes);

/// UTF-8 text in the file's encoding; nullopt when Latin-1 cannot hold a character.
std::optional<std::string> encode_rdp_text(RdpDecode mode, std::string_view utf8);

}  // namespace comredir::policy::detail
