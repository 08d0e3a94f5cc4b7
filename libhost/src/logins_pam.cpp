// The `pam` back end: pam_authenticate + pam_acct_mgmt with a conversation that answers the
// password prompt from the RDP client's credentials.
#include <security/pam_appl.h>
#include <string.h>  // explicit_bzero, strdup

#include <comredir/host/log.hpp>
#include <comredir/host/logins.hpp>
#include <cstdlib>
#include <cstring>
#include <string>

namespace comredir::host {

namespace {

struct ConvData {
    std::string_view user;
    std::string_view password;
};

char* dup(std::string_view s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (p == nullptr) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

void free_responses(pam_response* r, int n) {
    for (int i = 0; i < n; ++i) {
        if (r[i].resp != nullptr) {
            explicit_bzero(r[i].resp, std::strlen(r[i].resp));
            std::free(r[i].resp);
        }
    }
    std::free(r);
}

// PAM owns (and frees) the responses; a prompt we cannot answer fails the conversation.
int converse(int n, const pam_message** msg, pam_response** resp, void* appdata) {
    if (n <= 0 || n > PAM_MAX_NUM_MSG || appdata == nullptr) return PAM_CONV_ERR;
    const auto* data = static_cast<const ConvData*>(appdata);
    auto* out =
        static_cast<pam_response*>(std::calloc(static_cast<std::size_t>(n), sizeof(pam_response)));
    if (out == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < n; ++i) {
        switch (msg[i]->msg_style) {
            case PAM_PROMPT_ECHO_OFF:  // the password
                out[i].resp = dup(data->password);
                break;
            case PAM_PROMPT_ECHO_ON:  // a visible prompt: the login name
                out[i].resp = dup(data->user);
                break;
            case PAM_ERROR_MSG:
            case PAM_TEXT_INFO:
                log_debug(std::string("pam says: ") + (msg[i]->msg != nullptr ? msg[i]->msg : ""));
                continue;
            default:
                free_responses(out, n);
                return PAM_CONV_ERR;
        }
        if (out[i].resp == nullptr) {
            free_responses(out, n);
            return PAM_BUF_ERR;
        }
    }
    *resp = out;
    return PAM_SUCCESS;
}

class PamAuthenticator final : public Authenticator {
  public:
    explicit PamAuthenticator(std::string service) : service_(std::move(service)) {}

    AuthResult authenticate(std::string_view user, std::string_view password,
                            std::string_view remote_address) override {
        if (user.empty()) return {AuthOutcome::rejected, "empty user name"};
        if (password.empty()) return {AuthOutcome::rejected, "empty password"};
        ConvData data{user, password};
        const pam_conv conv{converse, &data};
        pam_handle_t* h = nullptr;
        const std::string u(user);
        int rc = pam_start(service_.c_str(), u.c_str(), &conv, &h);
        if (rc != PAM_SUCCESS) {
            return {AuthOutcome::unavailable,
                    "pam_start for service `" + service_ + "` failed: " + pam_strerror(h, rc)};
        }
        const std::string rhost(remote_address);
        pam_set_item(h, PAM_RHOST, rhost.c_str());
        AuthResult result{AuthOutcome::accepted, {}};
        rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
        if (rc != PAM_SUCCESS) {
            result = {outcome_of(rc), std::string("pam_authenticate: ") + pam_strerror(h, rc)};
        } else {
            rc = pam_acct_mgmt(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
            if (rc == PAM_NEW_AUTHTOK_REQD) {
                result = {AuthOutcome::rejected,
                          "pam_acct_mgmt: password expired (change it "
                          "elsewhere: RDP cannot)"};
            } else if (rc != PAM_SUCCESS) {
                result = {outcome_of(rc), std::string("pam_acct_mgmt: ") + pam_strerror(h, rc)};
            }
        }
        pam_end(h, rc);
        return result;
    }
    std::string describe() const override { return "pam service `" + service_ + "`"; }

  private:
    static AuthOutcome outcome_of(int rc) {
        switch (rc) {
            case PAM_AUTH_ERR:
            case PAM_USER_UNKNOWN:
            case PAM_MAXTRIES:
            case PAM_ACCT_EXPIRED:
            case PAM_PERM_DENIED:
            case PAM_CRED_INSUFFICIENT:
                return AuthOutcome::rejected;
            default:
                return AuthOutcome::unavailable;
        }
    }
    std::string service_;
};

}  // namespace

std::unique_ptr<Authenticator> make_pam_authenticator(std::string service) {
    return std::make_unique<PamAuthenticator>(std::move(service));
}

}  // namespace comredir::host
