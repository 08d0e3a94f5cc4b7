// The fleet report's parts: RDP property drift, HTML escaping, and a fleet from Azure
// Resource Graph's pools joined with a config.
#include <doctest/doctest.h>
#include <unistd.h>

#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_diff.hpp>
#include <comredir/policy/report/fleet.hpp>
#include <comredir/policy/report/report_html.hpp>
#include <comredir/policy/report/report_json.hpp>
#include <filesystem>
#include <fstream>

using namespace comredir::policy;

namespace {

RdpFile props(const char* text) {
    auto r = parse_rdp_properties(text);
    REQUIRE_MESSAGE(r.ok(), r.message);
    return std::move(r.file);
}

}  // namespace

TEST_CASE("property drift: by lowercase name, first occurrence, integers by value") {
    const RdpFile base =
        props("redirectcomports:i:0;RedirectClipboard:i:1;drivestoredirect:s:*;audiomode:i:01");
    const RdpFile other = props(
        "redirectclipboard:i:0;redirectcomports:i:0;redirectcomports:i:1;audiomode:i:1;"
        "camerastoredirect:s:*");
    const auto d = diff_properties(&base, &other);
    REQUIRE(d.size() == 3);
    CHECK(d[0].name == "camerastoredirect");
    CHECK_FALSE(d[0].baseline.has_value());
    CHECK(d[0].value == "s:*");
    CHECK(d[1].name == "drivestoredirect");
    CHECK(d[1].baseline == "s:*");
    CHECK_FALSE(d[1].value.has_value());
    CHECK(d[2].name == "redirectclipboard");
    CHECK(d[2].baseline == "i:1");
    CHECK(d[2].value == "i:0");
    CHECK(diff_properties(&base, &base).empty());
    CHECK(diff_properties(nullptr, nullptr).empty());
    CHECK(diff_properties(nullptr, &base).size() == 4);
}

TEST_CASE("html escaping: every character that could end an element or an attribute") {
    CHECK(html_escape(R"(<a href="x">Tom & 'Jerry'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; 'Jerry'&lt;/a&gt;");
    CHECK(html_escape("plain `text` {GUID}") == "plain `text` {GUID}");
}

namespace {

GraphPool graph_pool(const std::string& sub, const std::string& name, const char* custom) {
    GraphPool p;
    p.id = "/subscriptions/" + sub +
           "/resourceGroups/rg/providers/Microsoft.DesktopVirtualization/hostpools/" + name;
    p.name = name;
    p.subscription = sub;
    p.resource_group = "rg";
    if (custom != nullptr) p.custom_rdp_property = custom;
    return p;
}

const FleetHost* fleet_host(const Fleet& f, const std::string& name) {
    for (const auto& h : f.hosts)
        if (h.name == name) return &h;
    return nullptr;
}

}  // namespace

TEST_CASE("a Resource Graph fleet: config hosts matched by name or ARM id, clashes and ambiguity") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("comredir-report-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto config = (dir / "config.json").string();
    const std::string x_id =
        "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.DesktopVirtualization/hostpools/x";
    {
        std::ofstream f(config);
        f << R"({"version": 1, "hosts": {
              "a": {"product": "avd", "hostPool": "shared"},
              "b": {"product": "avd", "hostPool": ")"
          << "/SUBSCRIPTIONS/s1/resourcegroups/rg/providers/microsoft.desktopvirtualization/"
             "hostpools/X"
          << R"("},
              "c": {"product": "w365"} } })";
    }
    FleetRequest req;
    req.config_path = config;
    req.features = {find_feature("com_ports")};
    req.graph.emplace();
    req.graph->subscriptions = {"s1", "s2"};
    req.graph->result.pools = {graph_pool("s1", "shared", "redirectcomports:i:1"),
                               graph_pool("s2", "shared", "redirectcomports:i:0"),
                               graph_pool("s1", "x", "redirectcomports:i:1"),
                               graph_pool("s1", "c", "redirectcomports:i:1"),
                               graph_pool("s1", "solo", "redirectcomports:i:0")};
    const Fleet fleet = load_fleet(req);
    std::filesystem::remove_all(dir);
    REQUIRE_MESSAGE(fleet.ok, fleet.message);
    std::vector<std::string> names;
    for (const auto& h : fleet.hosts) names.push_back(h.name);
    // pools in the graph's order, then the host whose pool name is ambiguous
    CHECK(names == std::vector<std::string>{req.graph->result.pools[0].id,
                                            req.graph->result.pools[1].id, "b",
                                            req.graph->result.pools[3].id, "solo", "a"});
    const FleetHost* b = fleet_host(fleet, "b");
    REQUIRE(b != nullptr);
    CHECK_FALSE(b->os_unknown);  // matched by ARM id, case-insensitively
    CHECK(b->host_pool_id == x_id);
    REQUIRE(b->decisions.size() == 1);
    CHECK(decision_status(b->decisions[0], b->os_unknown) == "allow");
    // a pool named like config host `c` (a Windows 365 host: no host pool): keyed by its id,
    // so `c`'s own layers are not taken for it
    const FleetHost* c = fleet_host(fleet, req.graph->result.pools[3].id);
    REQUIRE(c != nullptr);
    CHECK(c->os_unknown);
    CHECK(c->estate.product == Product::avd);
    CHECK(decision_status(c->decisions.at(0), true) == "unknown");
    const FleetHost* solo = fleet_host(fleet, "solo");
    REQUIRE(solo != nullptr);
    CHECK(decision_status(solo->decisions.at(0), true) == "deny");
    const FleetHost* a = fleet_host(fleet, "a");
    REQUIRE(a != nullptr);
    CHECK_FALSE(a->loaded);
    CHECK(a->message == "host pool `shared` names 2 host pools in Azure Resource Graph (" +
                            req.graph->result.pools[0].id + ", " + req.graph->result.pools[1].id +
                            "): write the pool's ARM id as the host's `hostPool`");
    CHECK(fleet.notes.empty());  // `c` has no host-pool layer: not expected in Azure
}
