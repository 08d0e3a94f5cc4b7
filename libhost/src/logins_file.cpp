// The `file` back end: a credentials file (credentials_file.hpp) checked with libcrypt's
// crypt_r.
#include <crypt.h>
#include <string.h>  // explicit_bzero

#include <comredir/host/credentials_file.hpp>
#include <comredir/host/logins.hpp>
#include <fstream>
#include <memory>
#include <sstream>

namespace comredir::host {

std::string_view to_string(AuthOutcome o) {
    switch (o) {
        case AuthOutcome::accepted:
            return "accepted";
        case AuthOutcome::rejected:
            return "rejected";
        case AuthOutcome::unavailable:
            return "unavailable";
    }
    return "?";
}

namespace {

// crypt_data is 32 KiB and holds the passphrase while hashing: heap, zeroed after use.
struct CryptScratch {
    CryptScratch() : data(std::make_unique<crypt_data>()) {}
    CryptScratch(const CryptScratch&) = delete;
    CryptScratch& operator=(const CryptScratch&) = delete;
    ~CryptScratch() { explicit_bzero(data.get(), sizeof(crypt_data)); }
    std::unique_ptr<crypt_data> data;
};

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Hashes `password` with `setting`; true when the result equals `setting` (a full hash).
bool crypt_matches(const std::string& password, const std::string& setting) {
    CryptScratch scratch;
    const char* out = crypt_r(password.c_str(), setting.c_str(), scratch.data.get());
    return out != nullptr && out[0] != '*' && equal_constant_time(out, setting);
}

// A hash of the preferred method to spend the same time on unknown users as on known ones.
const std::string& dummy_setting() {
    static const std::string setting = [] {
        char buf[CRYPT_GENSALT_OUTPUT_SIZE] = {};
        const char* s = crypt_gensalt_rn(nullptr, 0, nullptr, 0, buf, sizeof buf);
        return std::string(s != nullptr ? s : "$6$comredirdummysalt$");
    }();
    return setting;
}

class FileAuthenticator final : public Authenticator {
  public:
    explicit FileAuthenticator(std::string path) : path_(std::move(path)) {}

    AuthResult authenticate(std::string_view user, std::string_view password,
                            std::string_view /*remote_address*/) override {
        std::ifstream in(path_, std::ios::binary);
        if (!in) return {AuthOutcome::unavailable, "cannot read `" + path_ + "`"};
        std::ostringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        AuthResult r = check_credentials_text(s, path_, user, password);
        explicit_bzero(s.data(), s.size());
        return r;
    }
    std::string describe() const override { return "credentials file `" + path_ + "`"; }

  private:
    std::string path_;
};

}  // namespace

AuthResult check_credentials_text(std::string_view text, std::string_view source,
                                  std::string_view user, std::string_view password) {
    const std::string src(source);
    if (user.empty()) return {AuthOutcome::rejected, "empty user name"};
    if (password.empty()) return {AuthOutcome::rejected, "empty password"};
    if (password.size() >= CRYPT_MAX_PASSPHRASE_SIZE || password.find('\0') != password.npos)
        return {AuthOutcome::rejected, "password longer than libcrypt accepts"};

    std::string hash;
    std::uint32_t found_line = 0;
    for (const CredentialsLine& l : credentials_lines(text)) {
        if (l.malformed() || l.user != user) continue;  // a bad line matters only for its user
        if (found_line != 0)
            return {AuthOutcome::unavailable, src + ": line " + std::to_string(l.line) +
                                                  ": user `" + std::string(user) +
                                                  "` listed twice"};
        found_line = l.line;
        hash = std::string(l.hash);
    }
    std::string pw(password);
    if (found_line == 0) {
        (void)crypt_matches(pw, dummy_setting());  // same cost as a known user
        explicit_bzero(pw.data(), pw.size());
        return {AuthOutcome::rejected, "unknown user `" + std::string(user) + "`"};
    }
    const std::string where = src + ": line " + std::to_string(found_line);
    if (const HashStrength s = hash_strength(hash); s != HashStrength::ok) {
        explicit_bzero(pw.data(), pw.size());
        return {AuthOutcome::unavailable, where + ": " + std::string(hash_problem(s))};
    }
    bool match = crypt_matches(pw, hash);
    explicit_bzero(pw.data(), pw.size());
    if (!match) return {AuthOutcome::rejected, "wrong password"};
    return {AuthOutcome::accepted, {}};
}

std::unique_ptr<Authenticator> make_file_authenticator(std::string path) {
    return std::make_unique<FileAuthenticator>(std::move(path));
}

}  // namespace comredir::host
