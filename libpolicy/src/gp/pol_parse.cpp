// Registry.pol reader, [MS-GPREG] 2.2.1. Every read is bounds-checked by the
// Cursor; every failure names the construct and its byte offset.

#include <algorithm>
#include <comredir/policy/gp/pol.hpp>
#include <optional>

#include "io/file_io.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

using detail::hex_offset;

constexpr std::uint8_t kSignature[4] = {'P', 'R', 'e', 'g'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint16_t kOpen = u'[';
constexpr std::uint16_t kClose = u']';
constexpr std::uint16_t kSemicolon = u';';

/// Bounds-checked little-endian reads over the input.
class Cursor {
  public:
    explicit Cursor(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::size_t pos() const { return pos_; }
    std::size_t remaining() const { return bytes_.size() - pos_; }
    bool at_end() const { return pos_ == bytes_.size(); }

    [[nodiscard]] std::optional<std::uint16_t> u16() {
        if (remaining() < 2) return std::nullopt;
        auto v = static_cast<std::uint16_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8));
        pos_ += 2;
        return v;
    }
    [[nodiscard]] std::optional<std::uint32_t> u32() {
        if (remaining() < 4) return std::nullopt;
        std::uint32_t v = bytes_[pos_] | (static_cast<std::uint32_t>(bytes_[pos_ + 1]) << 8) |
                          (static_cast<std::uint32_t>(bytes_[pos_ + 2]) << 16) |
                          (static_cast<std::uint32_t>(bytes_[pos_ + 3]) << 24);
        pos_ += 4;
        return v;
    }
    /// Peeks the UTF-16 unit at the cursor without consuming it.
    [[nodiscard]] std::optional<std::uint16_t> peek_u16() const {
        if (remaining() < 2) return std::nullopt;
        return static_cast<std::uint16_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8));
    }
    std::span<const std::uint8_t> take(std::size_t n) {
        auto s = bytes_.subspan(pos_, n);  // caller checked remaining() >= n
        pos_ += n;
        return s;
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
};

std::string found_text(std::optional<std::uint16_t> unit) {
    if (!unit) return "end of file";
    return "`" + hex_offset(*unit) + "`";
}

struct Parser {
    std::span<const std::uint8_t> input;
    std::span<const std::uint8_t> prev_key_raw;  // raw bytes of the previous entry's key
    Cursor cur;
    PolResult result;

    // What is known of the entry being read, for message context (built only on failure).
    enum class Stage { start, have_key, have_value } stage = Stage::start;
    const PolEntry* current = nullptr;

    explicit Parser(std::span<const std::uint8_t> bytes) : input(bytes), cur(bytes) {}

    /// `offset 0x..: ` plus `key `K`: ` or `entry `V`: ` when known.
    std::string where(std::uint64_t offset) const {
        std::string s = "offset " + hex_offset(offset) + ": ";
        if (current != nullptr && stage == Stage::have_key) s += "key `" + current->key + "`: ";
        if (current != nullptr && stage == Stage::have_value)
            s += "entry `" + current->value + "`: ";
        return s;
    }

    bool fail(PolStatus status, std::uint64_t offset, std::string message) {
        result.status = status;
        result.offset = offset;
        result.message = std::move(message);
        return false;
    }

    bool header() {
        std::size_t n = cur.remaining() < 4 ? cur.remaining() : 4;
        auto sig = cur.take(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (sig[i] != kSignature[i]) {
                return fail(PolStatus::bad_signature, 0,
                            "offset 0x0: bad signature `" + detail::hex_bytes(sig) +
                                "`, expected `50526567` (`PReg`)");
            }
        }
        if (n < 4) {
            return fail(PolStatus::truncated_header, 0,
                        "offset 0x0: truncated header: " + std::to_string(n) + " of 8 bytes");
        }
        auto version = cur.u32();
        if (!version) {
            return fail(PolStatus::truncated_header, 0,
                        "offset 0x0: truncated header: " + std::to_string(4 + cur.remaining()) +
                            " of 8 bytes");
        }
        if (*version != kVersion) {
            return fail(
                PolStatus::bad_version, 4,
                "offset 0x4: unsupported version `" + std::to_string(*version) + "`, expected `1`");
        }
        return true;
    }

    /// The previous entry's key (files repeat one key for runs of values).
    const std::string* prev_key() const {
        return result.file.entries.empty() ? nullptr : &result.file.entries.back().key;
    }

    /// Reads a NUL-terminated UTF-16LE name; the cursor ends after the NUL. When `same_raw`
    /// holds the same bytes (NUL included) as this name, `same_text` is reused, not decoded.
    bool name(std::string& out, PolStatus unterminated, const char* what,
              const std::span<const std::uint8_t>* same_raw = nullptr,
              const std::string* same_text = nullptr) {
        std::size_t start = cur.pos();
        // Find the UTF-16 NUL in one pass over the raw bytes (bounds: i + 1 < size).
        std::span<const std::uint8_t> rest = input.subspan(start);
        std::size_t len = detail::utf16le_nul_offset(rest);
        if (len + 1 >= rest.size()) {
            return fail(unterminated, start, where(start) + what + " name has no terminating NUL");
        }
        auto raw = cur.take(len + 2);
        if (same_raw != nullptr && same_text != nullptr && same_raw->size() == raw.size() &&
            std::equal(raw.begin(), raw.end(), same_raw->begin())) {
            out = *same_text;
            return true;
        }
        std::size_t bad = 0;
        auto text = detail::utf16le_to_utf8(input.subspan(start, len), &bad);
        if (!text) {
            return fail(PolStatus::bad_utf16, start + bad,
                        where(start + bad) + what + " name has an unpaired surrogate");
        }
        out = std::move(*text);
        return true;
    }

    bool expect(std::uint16_t unit, PolStatus status, const char* shown) {
        std::size_t at = cur.pos();
        auto got = cur.peek_u16();
        if (!got || *got != unit) {
            return fail(status, at,
                        where(at) + "expected `" + shown + "`, found " + found_text(got));
        }
        (void)cur.u16();
        return true;
    }

    bool entry() {
        PolEntry e;
        e.offset = cur.pos();
        current = &e;
        stage = Stage::start;
        if (!expect(kOpen, PolStatus::expected_open_bracket, "[")) return false;
        std::size_t key_start = cur.pos();
        if (!name(e.key, PolStatus::unterminated_key, "key", &prev_key_raw, prev_key()))
            return false;
        prev_key_raw = input.subspan(key_start, cur.pos() - key_start);
        stage = Stage::have_key;
        if (!expect(kSemicolon, PolStatus::expected_semicolon, ";")) return false;
        if (!name(e.value, PolStatus::unterminated_value, "value")) return false;
        stage = Stage::have_value;
        if (!expect(kSemicolon, PolStatus::expected_semicolon, ";")) return false;

        std::size_t at = cur.pos();
        auto type = cur.u32();
        if (!type) {
            return fail(
                PolStatus::truncated_type, at,
                where(at) + "truncated type: " + std::to_string(cur.remaining()) + " of 4 bytes");
        }
        e.type = *type;
        if (!expect(kSemicolon, PolStatus::expected_semicolon, ";")) return false;

        at = cur.pos();
        auto size = cur.u32();
        if (!size) {
            return fail(
                PolStatus::truncated_size, at,
                where(at) + "truncated size: " + std::to_string(cur.remaining()) + " of 4 bytes");
        }
        if (*size > kPolMaxDataSize) {
            return fail(PolStatus::size_too_large, at,
                        where(at) + "size `" + std::to_string(*size) + "` exceeds limit `" +
                            std::to_string(kPolMaxDataSize) + "`");
        }
        e.size = *size;
        if (!expect(kSemicolon, PolStatus::expected_semicolon, ";")) return false;

        at = cur.pos();
        if (cur.remaining() < e.size) {
            return fail(PolStatus::data_past_end, at,
                        where(at) + "size `" + std::to_string(e.size) +
                            "` runs past end of file (" + std::to_string(cur.remaining()) +
                            " bytes left)");
        }
        auto data = cur.take(e.size);
        e.data.assign(data.begin(), data.end());
        if (!expect(kClose, PolStatus::expected_close_bracket, "]")) return false;

        warn_oddities(e);
        current = nullptr;
        result.file.entries.push_back(std::move(e));
        return true;
    }

    void warn_oddities(const PolEntry& e) {
        auto t = static_cast<RegType>(e.type);
        auto prefix = [&] {
            return "offset " + hex_offset(e.offset) + ": entry `" + e.value + "`: ";
        };
        if ((t == RegType::dword || t == RegType::dword_big_endian) && e.size != 4) {
            result.file.warnings.push_back(prefix() + "size " + std::to_string(e.size) +
                                           " does not fit " + reg_type_name(e.type));
        } else if (t == RegType::qword && e.size != 8) {
            result.file.warnings.push_back(prefix() + "size " + std::to_string(e.size) +
                                           " does not fit REG_QWORD");
        } else if ((t == RegType::sz || t == RegType::expand_sz || t == RegType::multi_sz) &&
                   e.size % 2 != 0) {
            result.file.warnings.push_back(prefix() + "odd size " + std::to_string(e.size) +
                                           " for UTF-16 " + reg_type_name(e.type));
        } else if (e.type > static_cast<std::uint32_t>(RegType::qword)) {
            result.file.warnings.push_back(prefix() + "unknown type `" + std::to_string(e.type) +
                                           "`");
        }
    }

    void run() {
        if (!header()) return;
        // Real files average well over 64 bytes an entry: one allocation up front.
        result.file.entries.reserve(input.size() / 64);
        while (!cur.at_end()) {
            if (!entry()) return;
        }
    }
};

}  // namespace

std::string_view to_string(PolStatus status) {
    switch (status) {
        case PolStatus::ok:
            return "ok";
        case PolStatus::io_error:
            return "io_error";
        case PolStatus::truncated_header:
            return "truncated_header";
        case PolStatus::bad_signature:
            return "bad_signature";
        case PolStatus::bad_version:
            return "bad_version";
        case PolStatus::expected_open_bracket:
            return "expected_open_bracket";
        case PolStatus::unterminated_key:
            return "unterminated_key";
        case PolStatus::expected_semicolon:
            return "expected_semicolon";
        case PolStatus::unterminated_value:
            return "unterminated_value";
        case PolStatus::truncated_type:
            return "truncated_type";
        case PolStatus::truncated_size:
            return "truncated_size";
        case PolStatus::data_past_end:
            return "data_past_end";
        case PolStatus::expected_close_bracket:
            return "expected_close_bracket";
        case PolStatus::bad_utf16:
            return "bad_utf16";
        case PolStatus::size_too_large:
            return "size_too_large";
    }
    return "unknown";
}

PolResult parse_pol(std::span<const std::uint8_t> bytes) {
    Parser p(bytes);
    p.run();
    return std::move(p.result);
}

PolResult read_pol(const std::string& path) {
    auto fb = detail::read_file_bytes(path);
    if (!fb.ok) {
        PolResult r;
        r.status = PolStatus::io_error;
        r.message = fb.error;
        return r;
    }
    PolResult r = parse_pol(fb.bytes);
    if (!r.ok()) r.message = path + ": " + r.message;
    for (auto& w : r.file.warnings) w = path + ": " + w;
    return r;
}

}  // namespace comredir::policy
