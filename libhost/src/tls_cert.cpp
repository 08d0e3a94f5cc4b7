#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <comredir/host/tls_cert.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace comredir::host {

namespace fs = std::filesystem;

namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(std::FILE* f) const { std::fclose(f); }
};
template <class T>
using Ptr = std::unique_ptr<T, Free>;

std::string openssl_error() {
    unsigned long e = ERR_get_error();
    if (e == 0) return "unknown openssl error";
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    ERR_clear_error();
    return buf.data();
}

// Opens a new file (never an existing one) with `mode` for writing.
Ptr<std::FILE> create_file(const std::string& path, mode_t mode, std::string& error) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        error = "cannot create `" + path + "`: " + std::strerror(errno);
        return nullptr;
    }
    Ptr<std::FILE> f(::fdopen(fd, "w"));
    if (!f) {
        ::close(fd);
        error = "cannot open `" + path + "`";
    }
    return f;
}

bool add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Ptr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Ptr<X509> load_cert(const std::string& path, std::string& error) {
    Ptr<std::FILE> f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        error = "cannot read certificate `" + path + "`: " + std::strerror(errno);
        return nullptr;
    }
    Ptr<X509> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) error = "certificate `" + path + "`: not a PEM certificate: " + openssl_error();
    return cert;
}

Ptr<EVP_PKEY> load_key(const std::string& path, std::string& error) {
    Ptr<std::FILE> f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        error = "cannot read key `" + path + "`: " + std::strerror(errno);
        return nullptr;
    }
    Ptr<EVP_PKEY> key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key) error = "key `" + path + "`: not an unencrypted PEM private key: " + openssl_error();
    return key;
}

// Checks the pair loads and matches; fills fingerprint and subject.
bool check_pair(TlsFiles& t) {
    std::string error;
    auto cert = load_cert(t.certificate, error);
    auto key = cert ? load_key(t.key, error) : nullptr;
    if (!cert || !key) {
        t.message = error;
        return false;
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        t.message = "key `" + t.key + "` does not belong to certificate `" + t.certificate + "`";
        return false;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int n = 0;
    if (X509_digest(cert.get(), EVP_sha256(), md.data(), &n) == 1) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        for (unsigned i = 0; i < n; ++i) {
            if (i != 0) t.fingerprint += ':';
            t.fingerprint += kHex[md[i] >> 4];
            t.fingerprint += kHex[md[i] & 0xF];
        }
    }
    std::array<char, 256> subject{};
    X509_NAME_oneline(X509_get_subject_name(cert.get()), subject.data(),
                      static_cast<int>(subject.size()));
    t.subject = subject.data();
    t.ok = true;
    return true;
}

std::string host_name() {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf.data();
}

}  // namespace

bool generate_self_signed(const std::string& cert_path, const std::string& key_path,
                          const std::string& common_name, int days, std::string& error) {
    Ptr<EVP_PKEY> key(EVP_RSA_gen(3072));
    Ptr<X509> cert(X509_new());
    Ptr<BIGNUM> serial(BN_new());
    if (!key || !cert || !serial) {
        error = "cannot make a key: " + openssl_error();
        return false;
    }
    // A random positive 127-bit serial number.
    if (BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
        X509_set_version(cert.get(), 2) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * days) == nullptr ||
        X509_set_pubkey(cert.get(), key.get()) != 1) {
        error = "cannot fill the certificate: " + openssl_error();
        return false;
    }
    X509_NAME* name = X509_get_subject_name(cert.get());
    const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1 ||
        !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
        !add_extension(cert.get(), NID_ext_key_usage, "serverAuth") ||
        !add_extension(cert.get(), NID_subject_alt_name, ("DNS:" + common_name).c_str()) ||
        X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        error = "cannot sign the certificate: " + openssl_error();
        return false;
    }
    // Key first (0600), so a certificate never exists without its key. Both files are new
    // (O_EXCL): whatever this call made is removed again when it fails.
    auto kf = create_file(key_path, 0600, error);
    if (!kf) return false;
    if (PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(kf.get()) != 0 || ::fsync(::fileno(kf.get())) != 0) {
        error = "cannot write `" + key_path + "`";
        ::unlink(key_path.c_str());
        return false;
    }
    auto cf = create_file(cert_path, 0644, error);
    if (!cf) {
        ::unlink(key_path.c_str());
        return false;
    }
    if (PEM_write_X509(cf.get(), cert.get()) != 1 || std::fflush(cf.get()) != 0 ||
        ::fsync(::fileno(cf.get())) != 0) {
        error = "cannot write `" + cert_path + "`";
        ::unlink(cert_path.c_str());
        ::unlink(key_path.c_str());
        return false;
    }
    return true;
}

TlsFiles prepare_tls(const TlsSettings& settings) {
    TlsFiles t;
    if (!settings.certificate.empty()) {
        t.certificate = settings.certificate;
        t.key = settings.key;
        check_pair(t);
        return t;
    }
    const fs::path dir = settings.generated_dir;
    t.certificate = (dir / "cert.pem").string();
    t.key = (dir / "key.pem").string();
    std::error_code ec;
    const bool have_cert = fs::exists(t.certificate, ec);
    const bool have_key = fs::exists(t.key, ec);
    if (have_cert != have_key) {
        t.message = "`" + (have_cert ? t.key : t.certificate) + "` is missing but `" +
                    (have_cert ? t.certificate : t.key) +
                    "` exists: remove it to make a new pair, or restore the missing file";
        return t;
    }
    if (!have_cert) {
        t.created_dir = !fs::exists(dir, ec);
        fs::create_directories(dir, ec);
        if (ec) {
            t.message = "cannot create `" + dir.string() + "`: " + ec.message();
            return t;
        }
        ::chmod(dir.c_str(), 0700);
        std::string error;
        if (!generate_self_signed(t.certificate, t.key, host_name(), 825, error)) {
            t.message = error;
            if (t.created_dir) ::rmdir(dir.c_str());
            return t;
        }
        t.generated = true;
    }
    if (!check_pair(t)) discard_generated_tls(t);
    return t;
}

void discard_generated_tls(const TlsFiles& t) {
    if (!t.generated) return;
    ::unlink(t.certificate.c_str());
    ::unlink(t.key.c_str());
    if (t.created_dir) ::rmdir(fs::path(t.key).parent_path().c_str());  // only when empty
}

}  // namespace comredir::host
