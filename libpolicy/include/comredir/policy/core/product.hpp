#pragma once
// Products (which layers exist) and client platforms.

#include <optional>
#include <string_view>

namespace comredir::policy {

/// avd: OS policy + host pool + client. w365, devbox: no host-pool layer.
/// rds: OS policy + client .rdp. linux: comredir's own redirector host (OS policy from
/// Registry.pol / Samba's gpo cache, host pools from our store, FreeRDP clients).
/// No identifier here is `linux`: with GNU dialects (-std=gnu++20, CMake's default) the
/// compiler predefines `linux` as 1, which would break a consumer's build. The names in
/// text (to_string, configs, JSON) are `linux`.
enum class Product { avd, w365, devbox, rds, linux_host };
inline constexpr Product kAllProducts[] = {Product::avd, Product::w365, Product::devbox,
                                           Product::rds, Product::linux_host};

enum class ClientOs { windows, macos, ios, android, web, linux_client };
inline constexpr ClientOs kAllClientOs[] = {ClientOs::windows, ClientOs::macos,
                                            ClientOs::ios,     ClientOs::android,
                                            ClientOs::web,     ClientOs::linux_client};

std::string_view to_string(Product p);
std::string_view to_string(ClientOs os);
std::optional<Product> parse_product(std::string_view s);
std::optional<ClientOs> parse_client_os(std::string_view s);

/// Whether the product has a host-pool layer (only AVD and comredir's Linux hosts do).
bool has_host_pool_layer(Product p);

}  // namespace comredir::policy
