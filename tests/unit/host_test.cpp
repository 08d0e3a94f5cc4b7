// libhost: logins from a credentials file, the run directory, the TLS files.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <comredir/host/credentials_file.hpp>
#include <comredir/host/logins.hpp>
#include <comredir/host/run_dir.hpp>
#include <comredir/host/tls_cert.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using namespace comredir::host;
namespace fs = std::filesystem;

namespace {

// `openssl passwd -6 -salt comredirtestsalt 'correct horse'`
constexpr const char* kSha512 =
    "$6$comredirtestsalt$"
    "3hQjDQ9ve8vuNpRRriOLrjvy20iRfWZUexL25RUtXGsbPtF6Viuxi6WV8l8xrWtW8F8S1sCfFN4/"
    "MfqhFwhwd1";
// `openssl passwd -1 -salt abcdefgh 'correct horse'`: MD5, which libcrypt calls legacy.
constexpr const char* kMd5 = "$1$abcdefgh$y6iHhJNbuC0xpbk0w9pm80";

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "comredir-daemon-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("the credentials file: salted crypt(3) hashes, no password in any reason") {
    const std::string text =
        std::string("# comment\n\nalice:") + kSha512 + "\nbob:" + kMd5 + "\ncarol:!locked\n";
    auto r = check_credentials_text(text, "users", "alice", "correct horse");
    CHECK(r.ok());
    r = check_credentials_text(text, "users", "alice", "wrong horse");
    CHECK(r.outcome == AuthOutcome::rejected);
    CHECK(r.reason.find("horse") == std::string::npos);
    r = check_credentials_text(text, "users", "mallory", "correct horse");
    CHECK(r.outcome == AuthOutcome::rejected);
    CHECK(r.reason == "unknown user `mallory`");
    r = check_credentials_text(text, "users", "alice", "");
    CHECK(r.reason == "empty password");
    r = check_credentials_text(text, "users", "bob", "correct horse");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason ==
          "users: line 4: hash method is legacy (use yescrypt `$y$` or sha512 `$6$`, e.g. "
          "`openssl passwd -6`)");
    r = check_credentials_text(text, "users", "carol", "x");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason == "users: line 5: not a crypt(3) hash libcrypt accepts");
    r = check_credentials_text(text + "alice:" + kSha512 + "\n", "users", "alice", "correct horse");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason == "users: line 6: user `alice` listed twice");
    // Windows line ends are fine.
    r = check_credentials_text(std::string("alice:") + kSha512 + "\r\n", "users", "alice",
                               "correct horse");
    CHECK(r.ok());
}

TEST_CASE("the run directory is ours alone and cleaned at start") {
    TempDir t;
    const fs::path run = t.path / "run";
    std::string error;
    REQUIRE(prepare_run_dir(run.string(), error));
    CHECK(fs::exists(run / kRunDirMarker));
    fs::create_directories(run / "s4");
    fs::create_symlink("/dev/pts/99", run / "s4" / "COM1");
    fs::create_directories(run / "by-user" / "alice");
    REQUIRE(prepare_run_dir(run.string(), error));
    CHECK_FALSE(fs::exists(run / "s4"));
    CHECK_FALSE(fs::exists(run / "by-user"));
    CHECK(fs::exists(run / kRunDirMarker));

    const fs::path foreign = t.path / "home";
    fs::create_directories(foreign);
    std::ofstream(foreign / "notes.txt") << "keep me\n";
    CHECK_FALSE(prepare_run_dir(foreign.string(), error));
    CHECK(error == "run directory `" + foreign.string() +
                       "` holds files that are not comredir's (no `.comredir-run`): give an "
                       "empty or new folder");
    CHECK(fs::exists(foreign / "notes.txt"));
}

TEST_CASE("a self-signed certificate is made once, its key private, and reused") {
    TempDir t;
    TlsSettings s;
    s.generated_dir = (t.path / "state" / "tls").string();
    auto first = prepare_tls(s);
    REQUIRE_MESSAGE(first.ok, first.message);
    CHECK(first.generated);
    struct stat st {};
    REQUIRE(::stat(first.key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(first.fingerprint.size() == 32 * 3 - 1);
    auto second = prepare_tls(s);
    REQUIRE(second.ok);
    CHECK_FALSE(second.generated);
    CHECK(second.fingerprint == first.fingerprint);
    fs::remove(first.key);
    auto broken = prepare_tls(s);
    CHECK_FALSE(broken.ok);
    CHECK(broken.message.find("is missing but") != std::string::npos);
}

TEST_CASE("the credentials file is read one way for logins and for the start-up survey") {
    const std::string text = std::string("# comment\n\n  alice:") + kSha512 + "  \r\nbob:" + kMd5 +
                             "\nno colon here\n:nouser\n";
    const auto lines = credentials_lines(text);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].line == 3);
    CHECK(lines[0].user == "alice");
    CHECK(lines[0].hash == kSha512);
    CHECK(lines[1].user == "bob");
    CHECK(lines[2].malformed());
    CHECK(lines[2].line == 5);
    CHECK(lines[3].malformed());
    const auto survey = survey_users_text(text, "users");
    CHECK(survey.usable == 1);
    CHECK(survey.problems ==
          std::vector<std::string>{
              "users: line 4: user `bob`: hash method is legacy (use yescrypt `$y$` or sha512 "
              "`$6$`, e.g. `openssl passwd -6`)",
              "users: line 5: expected `user:hash`", "users: line 6: expected `user:hash`"});
}
