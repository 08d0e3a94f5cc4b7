#include "login_sessions.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>

namespace comredir::console::daemon {

namespace {

/// OpenSSL's base64, made URL- and header-safe (RFC 4648 section 5, no padding).
std::string base64url(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    const int len =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(len));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& ch : out) {
        if (ch == '+') ch = '-';
        if (ch == '/') ch = '_';
    }
    return out;
}

std::string hash_of(std::string_view token) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), d.data());
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace

std::string random_token() {
    std::array<unsigned char, 32> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
        throw std::runtime_error(
            "openssl: RAND_bytes failed");  // no token is better than a weak one
    return base64url(b.data(), b.size());
}

bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.empty()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

NewSession LoginSessions::create(std::string user, std::vector<std::string> groups,
                                 std::string address, std::chrono::system_clock::time_point now) {
    NewSession out;
    out.token = random_token();
    out.csrf = random_token();
    out.expires = now + lifetime_;
    LoginSession s{std::move(user), std::move(groups), out.csrf, std::move(address), now,
                   out.expires};
    const std::lock_guard lock(mutex_);
    // Expired sessions go when new ones come, so the table stays as large as the live ones.
    std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.expires <= now; });
    by_hash_.emplace(hash_of(out.token), std::move(s));
    return out;
}

std::optional<LoginSession> LoginSessions::find(std::string_view token,
                                                std::chrono::system_clock::time_point now) {
    if (token.empty()) return std::nullopt;
    const std::lock_guard lock(mutex_);
    auto it = by_hash_.find(hash_of(token));
    if (it == by_hash_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        by_hash_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

void LoginSessions::end(std::string_view token) {
    const std::lock_guard lock(mutex_);
    by_hash_.erase(hash_of(token));
}

std::size_t LoginSessions::size() const {
    const std::lock_guard lock(mutex_);
    return by_hash_.size();
}

}  // namespace comredir::console::daemon
