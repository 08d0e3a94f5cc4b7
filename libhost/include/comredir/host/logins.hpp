#pragma once
// Logins: checks the user name and password a client sent (the redirector: the RDP Client
// Info PDU, inside TLS; the console gateway: its TLS login). Two back ends, chosen by config: a
// credentials file of crypt(3) hashes, or PAM. Reasons are one line for the log and never contain
// the password.

#include <memory>
#include <string>
#include <string_view>

namespace comredir::host {

enum class AuthOutcome {
    accepted,
    rejected,     ///< wrong password, unknown user, empty password, account refused
    unavailable,  ///< the back end failed (unreadable file, PAM error): also no login
};
std::string_view to_string(AuthOutcome o);

struct AuthResult {
    AuthOutcome outcome = AuthOutcome::rejected;
    std::string reason;  ///< why not (empty when accepted)
    bool ok() const { return outcome == AuthOutcome::accepted; }
};

class Authenticator {
  public:
    virtual ~Authenticator() = default;
    /// Safe to call from several connection threads at once.
    virtual AuthResult authenticate(std::string_view user, std::string_view password,
                                    std::string_view remote_address) = 0;
    /// For the startup log: `file `/etc/comredir/users`` or `pam service `comredir``.
    virtual std::string describe() const = 0;
};

/// A credentials file (credentials_file.hpp).
/// The file is read at every login, so edits take effect without a restart.
std::unique_ptr<Authenticator> make_file_authenticator(std::string path);
/// PAM service `service`: pam_authenticate + pam_acct_mgmt, the conversation answers the
/// password prompt; PAM_RHOST is the client's address.
std::unique_ptr<Authenticator> make_pam_authenticator(std::string service);

/// The file back end's check on the file's text (for tests). `source` names it in reasons.
AuthResult check_credentials_text(std::string_view text, std::string_view source,
                                  std::string_view user, std::string_view password);

}  // namespace comredir::host
