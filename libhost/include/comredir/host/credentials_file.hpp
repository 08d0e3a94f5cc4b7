#pragma once
// A credentials file (logins `file` back end): `user:hash` lines, `#` comments and blank
// lines skipped, surrounding blanks and a CR ignored. Hashes are salted crypt(3) strings of
// a method libcrypt still considers strong (yescrypt `$y$`, sha512 `$6$`, ...). The one
// reader of the format: logins (logins.hpp) and the start-up survey both walk it here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::host {

struct CredentialsLine {
    std::uint32_t line = 0;  ///< 1-based
    std::string_view user;   ///< empty when the line is not `user:hash`
    std::string_view hash;
    bool malformed() const { return user.empty(); }
};

/// Every line that is neither blank nor a comment, in file order; views into `text`.
std::vector<CredentialsLine> credentials_lines(std::string_view text);

enum class HashStrength { ok, legacy, invalid };
/// libcrypt's verdict on a stored hash (crypt_checksalt).
HashStrength hash_strength(const std::string& hash);
/// Why a hash is not used, one lowercase phrase (empty for `ok`).
std::string_view hash_problem(HashStrength s);

struct UsersFileSurvey {
    std::size_t usable = 0;             ///< `user:hash` lines whose hash libcrypt accepts
    std::vector<std::string> problems;  ///< `FILE: line 3: user `bob`: ...`, one per bad line
};

/// What the file holds, checked once at start without checking any password: a file with
/// no usable login makes a daemon nobody can use. `source` names the file in problems.
UsersFileSurvey survey_users_text(std::string_view text, std::string_view source);

}  // namespace comredir::host
