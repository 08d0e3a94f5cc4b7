#include <comredir/policy/core/product.hpp>

namespace comredir::policy {

std::string_view to_string(Product p) {
    switch (p) {
        case Product::avd:
            return "avd";
        case Product::w365:
            return "w365";
        case Product::devbox:
            return "devbox";
        case Product::rds:
            return "rds";
        case Product::linux_host:
            return "linux";
    }
    return "?";
}

std::string_view to_string(ClientOs os) {
    switch (os) {
        case ClientOs::windows:
            return "windows";
        case ClientOs::macos:
            return "macos";
        case ClientOs::ios:
            return "ios";
        case ClientOs::android:
            return "android";
        case ClientOs::web:
            return "web";
        case ClientOs::linux_client:
            return "linux";
    }
    return "?";
}

std::optional<Product> parse_product(std::string_view s) {
    for (Product p : kAllProducts) {
        if (to_string(p) == s) return p;
    }
    return std::nullopt;
}

std::optional<ClientOs> parse_client_os(std::string_view s) {
    for (ClientOs os : kAllClientOs) {
        if (to_string(os) == s) return os;
    }
    return std::nullopt;
}

bool has_host_pool_layer(Product p) {
    return p == Product::avd || p == Product::linux_host;
}

}  // namespace comredir::policy
