// The checked reader and the writer (reader.hpp).

#include <comredir/redirector/codec/reader.hpp>
#include <stdexcept>

namespace comredir::redirector::codec {

bool Reader::need(std::size_t n, std::string_view field) {
    if (!error_.ok()) return false;
    if (n <= remaining()) return true;
    error_.status = Status::truncated;
    error_.offset = offset();
    error_.message = "`" + std::string(field) + "` needs " + std::to_string(n) +
                     (n == 1 ? " byte, " : " bytes, ") + std::to_string(remaining()) + " left";
    return false;
}

std::uint64_t Reader::little_endian(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
}

std::uint8_t Reader::u8(std::string_view field) {
    return need(1, field) ? static_cast<std::uint8_t>(little_endian(1)) : 0;
}
std::uint16_t Reader::u16(std::string_view field) {
    return need(2, field) ? static_cast<std::uint16_t>(little_endian(2)) : 0;
}
std::uint32_t Reader::u32(std::string_view field) {
    return need(4, field) ? static_cast<std::uint32_t>(little_endian(4)) : 0;
}
std::uint64_t Reader::u64(std::string_view field) {
    return need(8, field) ? little_endian(8) : 0;
}

std::span<const std::uint8_t> Reader::bytes(std::size_t n, std::string_view field) {
    if (!need(n, field)) return {};
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
}

std::vector<std::uint8_t> Reader::copy(std::size_t n, std::string_view field) {
    auto view = bytes(n, field);
    return {view.begin(), view.end()};
}

bool Reader::skip(std::size_t n, std::string_view field) {
    if (!need(n, field)) return false;
    pos_ += n;
    return true;
}

bool Reader::fail(Status status, std::uint64_t at, std::string detail) {
    if (error_.ok()) {
        error_.status = status;
        error_.offset = at;
        error_.message = std::move(detail);
    }
    return false;
}

bool Reader::check_length(std::uint64_t length, std::uint64_t cap, std::uint64_t at,
                          std::string_view field) {
    if (!error_.ok()) return false;
    const std::string name = "`" + std::string(field) + "` " + std::to_string(length);
    if (length > cap) {
        return fail(Status::too_large, at, name + " exceeds the cap of " + std::to_string(cap));
    }
    if (length > remaining()) {
        return fail(Status::length_exceeds_data, at,
                    name + " exceeds the " + std::to_string(remaining()) + " bytes left");
    }
    return true;
}

bool Reader::check_count(std::uint64_t count, std::uint64_t cap, std::size_t min_size,
                         std::uint64_t at, std::string_view field) {
    if (!error_.ok()) return false;
    const std::string name = "`" + std::string(field) + "` " + std::to_string(count);
    if (count > cap) {
        return fail(Status::too_large, at, name + " exceeds the cap of " + std::to_string(cap));
    }
    if (min_size != 0 && count > remaining() / min_size) {
        return fail(Status::count_exceeds_data, at,
                    name + " entries of at least " + std::to_string(min_size) +
                        " bytes do not fit the " + std::to_string(remaining()) + " bytes left");
    }
    return true;
}

Writer& Writer::u8(std::uint8_t v) {
    out_.push_back(v);
    return *this;
}
Writer& Writer::u16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v));
    out_.push_back(static_cast<std::uint8_t>(v >> 8U));
    return *this;
}
Writer& Writer::u32(std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
}
Writer& Writer::u64(std::uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
}
Writer& Writer::bytes(std::span<const std::uint8_t> v) {
    out_.insert(out_.end(), v.begin(), v.end());
    return *this;
}
Writer& Writer::zeros(std::size_t n) {
    out_.insert(out_.end(), n, 0);
    return *this;
}
Writer& Writer::length32(std::size_t n) {
    if (n > 0xFFFFFFFFU)
        throw std::length_error("rdpdr: buffer of " + std::to_string(n) +
                                " bytes does not fit a u32 length");
    return u32(static_cast<std::uint32_t>(n));
}

}  // namespace comredir::redirector::codec
