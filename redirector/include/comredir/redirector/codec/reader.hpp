#pragma once
// The codec's one checked reader, and its writer.
//
// Reader is a cursor over peer bytes. Every read checks the length first; a read past the end
// returns 0 (or an empty span), moves nothing and sets a sticky error: the first error wins,
// and later reads keep failing, so a decoder may read a whole structure and check ok() once.
// Error offsets are absolute in the message (`base` is the offset of the span's first byte)
// and point at the start of the field that did not fit. Peer lengths are checked with
// check_length() before anything is read or allocated from them. Nothing here asserts on
// peer data or throws.

#include <comredir/redirector/codec/status.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::redirector::codec {

class Reader {
  public:
    explicit Reader(std::span<const std::uint8_t> bytes, std::size_t base = 0) noexcept
        : data_(bytes), base_(base) {}

    // Little-endian integers; `field` names the field in the error message (spec spelling).
    [[nodiscard]] std::uint8_t u8(std::string_view field);
    [[nodiscard]] std::uint16_t u16(std::string_view field);
    [[nodiscard]] std::uint32_t u32(std::string_view field);
    [[nodiscard]] std::uint64_t u64(std::string_view field);
    /// The next n bytes (a view into the input), or an empty span and a `truncated` error.
    [[nodiscard]] std::span<const std::uint8_t> bytes(std::size_t n, std::string_view field);
    /// bytes(n) copied into a vector: only call after check_length() bounded n.
    [[nodiscard]] std::vector<std::uint8_t> copy(std::size_t n, std::string_view field);
    [[nodiscard]] bool skip(std::size_t n, std::string_view field);

    /// A peer-supplied byte length about to be read or allocated from: `too_large` above
    /// `cap`, `length_exceeds_data` above the bytes left. `at` is the length field's offset.
    [[nodiscard]] bool check_length(std::uint64_t length, std::uint64_t cap, std::uint64_t at,
                                    std::string_view field);
    /// A peer-supplied element count: `too_large` above `cap`, `count_exceeds_data` when
    /// `count` elements of at least `min_size` bytes each cannot fit in the bytes left.
    [[nodiscard]] bool check_count(std::uint64_t count, std::uint64_t cap, std::size_t min_size,
                                   std::uint64_t at, std::string_view field);

    /// Records a semantic error at `at` unless an error is already set; returns false.
    bool fail(Status status, std::uint64_t at, std::string detail);

    [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
    /// Absolute offset of the next byte.
    [[nodiscard]] std::uint64_t offset() const noexcept { return base_ + pos_; }
    [[nodiscard]] bool ok() const noexcept { return error_.ok(); }
    /// The first error; its message is the detail only (callers prefix the PDU and offset).
    [[nodiscard]] const DecodeError& error() const noexcept { return error_; }

  private:
    bool need(std::size_t n, std::string_view field);
    std::uint64_t little_endian(std::size_t n);

    std::span<const std::uint8_t> data_;
    std::size_t base_ = 0;
    std::size_t pos_ = 0;
    DecodeError error_;
};

/// Builds a message in wire order (little-endian).
class Writer {
  public:
    Writer& u8(std::uint8_t v);
    Writer& u16(std::uint16_t v);
    Writer& u32(std::uint32_t v);
    Writer& u64(std::uint64_t v);
    Writer& bytes(std::span<const std::uint8_t> v);
    Writer& zeros(std::size_t n);
    /// A u32 length of a buffer that is written next; throws std::length_error above 4 GiB
    /// (misuse: the codec never builds such a message).
    Writer& length32(std::size_t n);
    [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
    [[nodiscard]] std::vector<std::uint8_t> take() { return std::move(out_); }

  private:
    std::vector<std::uint8_t> out_;
};

}  // namespace comredir::redirector::codec
