#pragma once
// What a credentials file (`auth.method = file`) holds, checked once at start: a file with no
// usable login makes a daemon nobody can use, so the preflight refuses it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::daemon {

struct UsersFileSurvey {
    std::size_t usable = 0;             ///< `user:hash` lines whose hash libcrypt accepts
    std::vector<std::string> problems;  ///< `FILE: line 3: user `bob`: ...`, one per bad line
};

/// Reads `user:hash` lines (`#` comments and blank lines skipped) without checking any
/// password; `source` names the file in problems.
UsersFileSurvey survey_users_text(std::string_view text, std::string_view source);

}  // namespace comredir::redirector::daemon
