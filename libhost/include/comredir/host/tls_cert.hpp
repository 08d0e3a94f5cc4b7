#pragma once
// A daemon's TLS certificate and key: the configured pair (checked to load and match at
// startup, so a bad file fails there and not at every connection), or a self-signed pair
// generated on first start in the daemon's state folder (`<stateDir>/tls/`) and reused
// afterwards.

#include <string>

namespace comredir::host {

struct TlsSettings {
    std::string certificate;    ///< the configured PEM certificate; empty: a generated pair
    std::string key;            ///< the configured PEM key (with `certificate`)
    std::string generated_dir;  ///< where a generated pair lives: `<stateDir>/tls`
};

struct TlsFiles {
    bool ok = false;
    std::string message;  ///< the error (one line), when not ok
    std::string certificate;
    std::string key;
    bool generated = false;    ///< made now (first start)
    bool created_dir = false;  ///< `<stateDir>/tls/` was made now
    std::string fingerprint;   ///< SHA-256 of the certificate (DER), `AB:CD:...`
    std::string subject;       ///< the certificate's subject, one line
};

/// Checks the configured pair, or reuses or generates the state directory's. A pair that
/// cannot be made or checked leaves nothing behind.
TlsFiles prepare_tls(const TlsSettings& settings);

/// Removes a pair prepare_tls generated (and the folder it made): start-up failed after it.
void discard_generated_tls(const TlsFiles& files);

/// Writes a new self-signed RSA-3072 certificate for `common_name` (also a DNS SAN) valid
/// for `days`; the key file is created 0600, neither file may exist yet.
bool generate_self_signed(const std::string& cert_path, const std::string& key_path,
                          const std::string& common_name, int days, std::string& error);

}  // namespace comredir::host
