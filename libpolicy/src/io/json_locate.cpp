#include "io/json_locate.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

class Scanner {
  public:
    explicit Scanner(std::string_view t) : t_(t) {}
    std::size_t pos() const { return p_; }
    bool at(char c) const { return p_ < t_.size() && t_[p_] == c; }
    void next() { ++p_; }

    void ws() {
        while (p_ < t_.size() &&
               (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r')) {
            ++p_;
        }
    }

    /// At `"`: reads the string (decoded into `out` if given).
    bool string(std::string* out) {
        if (!at('"')) return false;
        ++p_;
        while (p_ < t_.size()) {
            char c = t_[p_];
            if (c == '"') {
                ++p_;
                return true;
            }
            if (c != '\\') {
                if (out != nullptr) out->push_back(c);
                ++p_;
                continue;
            }
            if (p_ + 1 >= t_.size()) return false;
            char e = t_[p_ + 1];
            p_ += 2;
            if (e != 'u') {
                if (out != nullptr) out->push_back(unescape(e));
                continue;
            }
            std::uint32_t unit = 0;
            if (!hex4(unit)) return false;
            if (unit >= 0xD800 && unit <= 0xDBFF && p_ + 1 < t_.size() && t_[p_] == '\\' &&
                t_[p_ + 1] == 'u') {
                p_ += 2;
                std::uint32_t low = 0;
                if (!hex4(low)) return false;
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low & 0x3FF);
            }
            if (out != nullptr) append_utf8(*out, unit);
        }
        return false;
    }

    bool skip_value() {
        ws();
        if (p_ >= t_.size()) return false;
        char c = t_[p_];
        if (c == '"') return string(nullptr);
        if (c == '{' || c == '[') {
            std::size_t depth = 0;
            while (p_ < t_.size()) {
                char d = t_[p_];
                if (d == '"') {
                    if (!string(nullptr)) return false;
                    continue;
                }
                if (d == '{' || d == '[') {
                    ++depth;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        ++p_;
                        return true;
                    }
                }
                ++p_;
            }
            return false;
        }
        std::size_t start = p_;
        while (p_ < t_.size() &&
               std::string_view(",]} \t\r\n").find(t_[p_]) == std::string_view::npos) {
            ++p_;
        }
        return p_ > start;
    }

  private:
    std::string_view t_;
    std::size_t p_ = 0;

    static char unescape(char e) {
        switch (e) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            default:
                return e;  // `"`, `\`, `/`
        }
    }

    bool hex4(std::uint32_t& out) {
        if (p_ + 4 > t_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            char h = t_[p_++];
            std::uint32_t v = 0;
            if (h >= '0' && h <= '9') {
                v = static_cast<std::uint32_t>(h - '0');
            } else if (h >= 'a' && h <= 'f') {
                v = static_cast<std::uint32_t>(h - 'a' + 10);
            } else if (h >= 'A' && h <= 'F') {
                v = static_cast<std::uint32_t>(h - 'A' + 10);
            } else {
                return false;
            }
            out = (out << 4) | v;
        }
        return true;
    }
};

std::optional<std::vector<std::string>> split_pointer(std::string_view pointer) {
    std::vector<std::string> tokens;
    if (pointer.empty()) return tokens;
    if (pointer[0] != '/') return std::nullopt;
    std::size_t i = 1;
    for (;;) {
        std::size_t j = std::min(pointer.find('/', i), pointer.size());
        std::string tok;
        for (std::size_t k = i; k < j; ++k) {
            if (pointer[k] == '~' && k + 1 < j &&
                (pointer[k + 1] == '0' || pointer[k + 1] == '1')) {
                tok.push_back(pointer[k + 1] == '0' ? '~' : '/');
                ++k;
            } else {
                tok.push_back(pointer[k]);
            }
        }
        tokens.push_back(std::move(tok));
        if (j >= pointer.size()) break;
        i = j + 1;
    }
    return tokens;
}

bool step(Scanner& s, const std::string& token) {
    s.ws();
    if (s.at('{')) {
        s.next();
        for (;;) {
            s.ws();
            std::string key;
            if (!s.string(&key)) return false;
            s.ws();
            if (!s.at(':')) return false;
            s.next();
            s.ws();
            if (key == token) return true;
            if (!s.skip_value()) return false;
            s.ws();
            if (!s.at(',')) return false;
            s.next();
        }
    }
    if (s.at('[')) {
        if (token.empty() || token.size() > 9 ||
            !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return false;
        }
        const std::size_t index = std::stoul(token);
        s.next();
        for (std::size_t k = 0;; ++k) {
            s.ws();
            if (s.at(']')) return false;
            if (k == index) return true;
            if (!s.skip_value()) return false;
            s.ws();
            if (!s.at(',')) return false;
            s.next();
        }
    }
    return false;
}

}  // namespace

std::optional<std::size_t> json_locate(std::string_view text, std::string_view pointer) {
    auto tokens = split_pointer(pointer);
    if (!tokens) return std::nullopt;
    Scanner s(text);
    for (const std::string& tok : *tokens) {
        if (!step(s, tok)) return std::nullopt;
    }
    s.ws();
    if (s.pos() >= text.size()) return std::nullopt;
    return s.pos();
}

std::optional<std::size_t> json_value_end(std::string_view text, std::size_t start) {
    if (start >= text.size()) return std::nullopt;
    Scanner s(text.substr(start));
    if (!s.skip_value()) return std::nullopt;
    return start + s.pos();
}

std::vector<std::size_t> json_array_offsets(std::string_view text, std::string_view pointer) {
    std::vector<std::size_t> out;
    auto at = json_locate(text, pointer);
    if (!at || text[*at] != '[') return out;
    Scanner s(text.substr(*at));
    s.next();
    for (;;) {
        s.ws();
        if (s.pos() >= text.size() - *at || s.at(']')) break;
        out.push_back(*at + s.pos());
        if (!s.skip_value()) break;
        s.ws();
        if (!s.at(',')) break;
        s.next();
    }
    return out;
}

TextPos text_pos(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPos pos;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            line_start = i + 1;
        }
    }
    pos.column = static_cast<std::uint32_t>(offset - line_start + 1);
    return pos;
}

std::vector<std::uint32_t> text_lines(std::string_view text,
                                      const std::vector<std::size_t>& offsets) {
    std::vector<std::uint32_t> out;
    out.reserve(offsets.size());
    std::uint32_t line = 1;
    std::size_t at = 0;
    for (std::size_t offset : offsets) {
        offset = std::min(offset, text.size());
        if (offset < at) {  // not ascending: count again from the start
            line = 1;
            at = 0;
        }
        for (; at < offset; ++at)
            if (text[at] == '\n') ++line;
        out.push_back(line);
    }
    return out;
}

std::string json_error_detail(std::string_view what) {
    std::size_t col = what.find("column ");
    if (col != std::string_view::npos) {
        std::size_t colon = what.find(": ", col);
        if (colon != std::string_view::npos) return std::string(what.substr(colon + 2));
    }
    std::size_t bracket = what.find("] ");
    if (bracket != std::string_view::npos) return std::string(what.substr(bracket + 2));
    return std::string(what);
}

JsonDocument parse_json_document(std::string_view text, std::size_t bom) {
    JsonDocument out;
    try {
        out.doc = nlohmann::json::parse(text.begin(), text.end());
        out.ok = true;
    } catch (const nlohmann::json::parse_error& e) {
        std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        auto pos = text_pos(text, at);
        out.offset = bom + at;
        out.line = pos.line;
        out.column = pos.column;
        out.what = json_error_detail(e.what());
        out.message = "line " + std::to_string(pos.line) + ": column " +
                      std::to_string(pos.column) + ": " + out.what;
    } catch (const nlohmann::json::exception& e) {  // e.g. number overflow: no position given
        out.what = json_error_detail(e.what());
        out.message = out.what;
    }
    return out;
}

}  // namespace comredir::policy::detail
