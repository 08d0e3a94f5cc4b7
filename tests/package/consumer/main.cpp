// A third-party program: reads one Registry.pol as the OS policy layer of an AVD host and
// asks libpolicy's resolver whether COM ports are redirected, with the setting that
// decides. Built by tests/package against the *installed* package (CMake and pkg-config).
//   consumer REGISTRY.POL   prints `com_ports: allow|deny (LAYER): SETTING` and the version
#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/policy/resolve/layers.hpp>
#include <comredir/policy/resolve/resolver.hpp>
#include <comredir/version.hpp>
#include <iostream>

namespace cp = comredir::policy;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer REGISTRY.POL\n";
        return 2;
    }
    cp::EstateRequest req;
    req.os.push_back({cp::OsSourceKind::pol, argv[1]});
    req.product = cp::Product::avd;
    req.client_os = cp::ClientOs::windows;
    const cp::EstateResult loaded = cp::load_estate(req);
    if (!loaded.ok() || !loaded.estate.input_errors.empty()) {
        std::cerr << "consumer: "
                  << (loaded.ok() ? loaded.estate.input_errors.front().message : loaded.message)
                  << '\n';
        return 3;
    }
    const cp::Estate& e = loaded.estate;
    const cp::Feature* com = cp::find_feature("com_ports");
    const cp::Decision d = cp::resolve(*com, e.product, e.client_os,
                                       cp::read_layers(*com, e.os, e.host_pool_src, e.client_src));
    std::cout << d.feature << ": " << cp::effective_text(d) << " (" << cp::to_string(d.decided_by)
              << ")\n"
              << "libpolicy " << comredir::kVersion << '\n';
    return 0;
}
