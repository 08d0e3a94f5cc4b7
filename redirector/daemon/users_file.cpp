#include "users_file.hpp"

#include <crypt.h>

namespace comredir::redirector::daemon {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

}  // namespace

UsersFileSurvey survey_users_text(std::string_view text, std::string_view source) {
    UsersFileSurvey out;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (line.empty() || line.front() == '#') continue;
        const std::string where = std::string(source) + ": line " + std::to_string(line_no);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            out.problems.push_back(where + ": expected `user:hash`");
            continue;
        }
        const std::string user(line.substr(0, colon));
        const std::string hash(line.substr(colon + 1));
        switch (crypt_checksalt(hash.c_str())) {
            case CRYPT_SALT_OK:
                ++out.usable;
                break;
            case CRYPT_SALT_METHOD_LEGACY:
                out.problems.push_back(where + ": user `" + user +
                                       "`: hash method is legacy (use yescrypt `$y$` or sha512 "
                                       "`$6$`, e.g. `openssl passwd -6`)");
                break;
            default:
                out.problems.push_back(where + ": user `" + user +
                                       "`: not a crypt(3) hash libcrypt accepts");
                break;
        }
    }
    return out;
}

}  // namespace comredir::redirector::daemon
