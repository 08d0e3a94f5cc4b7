#include <crypt.h>

#include <comredir/host/credentials_file.hpp>

namespace comredir::host {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

}  // namespace

std::vector<CredentialsLine> credentials_lines(std::string_view text) {
    std::vector<CredentialsLine> out;
    std::uint32_t line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (line.empty() || line.front() == '#') continue;
        CredentialsLine l;
        l.line = line_no;
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && colon != 0) {
            l.user = line.substr(0, colon);
            l.hash = line.substr(colon + 1);
        }
        out.push_back(l);
    }
    return out;
}

HashStrength hash_strength(const std::string& hash) {
    switch (crypt_checksalt(hash.c_str())) {
        case CRYPT_SALT_OK:
            return HashStrength::ok;
        case CRYPT_SALT_METHOD_LEGACY:
            return HashStrength::legacy;
        default:
            return HashStrength::invalid;
    }
}

std::string_view hash_problem(HashStrength s) {
    switch (s) {
        case HashStrength::ok:
            return "";
        case HashStrength::legacy:
            return "hash method is legacy (use yescrypt `$y$` or sha512 `$6$`, e.g. `openssl "
                   "passwd -6`)";
        case HashStrength::invalid:
            return "not a crypt(3) hash libcrypt accepts";
    }
    return "?";
}

UsersFileSurvey survey_users_text(std::string_view text, std::string_view source) {
    UsersFileSurvey out;
    for (const CredentialsLine& l : credentials_lines(text)) {
        const std::string where = std::string(source) + ": line " + std::to_string(l.line);
        if (l.malformed()) {
            out.problems.push_back(where + ": expected `user:hash`");
            continue;
        }
        const HashStrength s = hash_strength(std::string(l.hash));
        if (s == HashStrength::ok) {
            ++out.usable;
        } else {
            out.problems.push_back(where + ": user `" + std::string(l.user) +
                                   "`: " + std::string(hash_problem(s)));
        }
    }
    return out;
}

}  // namespace comredir::host
