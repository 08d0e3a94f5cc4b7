// Reader for the embedded host-pool store (JSON).
#include <comredir/policy/core/product.hpp>
#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "io/file_io.hpp"
#include "io/json_locate.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

using json = nlohmann::json;

/// Input quoted in a message: control characters shown as `?`, at most 64 bytes.
std::string shown_text(std::string_view s) {
    std::string out(s.substr(0, 64));
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    }
    if (s.size() > 64) out += "...";
    return out;
}

class StoreReader {
  public:
    StoreReader(std::string_view text, std::size_t bom) : text_(text), bom_(bom) {}

    HostPoolStoreResult run() {
        auto parsed = detail::parse_json_document(text_, bom_);
        if (!parsed.ok) {
            detail::fail_unparsed(r_, HostPoolStoreStatus::bad_json, std::move(parsed));
            return std::move(r_);
        }
        const json& doc = parsed.doc;
        document(doc);
        return std::move(r_);
    }

  private:
    std::string_view text_;
    std::size_t bom_;
    HostPoolStoreResult r_;
    std::unordered_map<std::string, std::size_t> names_;  ///< lowercase name -> index

    /// Fails with `msg`; line and offset are those of the value at `where`.
    bool fail(HostPoolStoreStatus st, const std::string& where, const std::string& msg) {
        detail::fail_at_pointer(r_, st, text_, bom_, where, msg);
        return false;
    }

    bool schema(const std::string& where, const std::string& what) {
        return fail(HostPoolStoreStatus::bad_schema, where, where + ": " + what);
    }

    /// A string member: `required` members must be present; absent optional ones stay empty.
    bool string_member(const json& obj, const std::string& base, const char* key, bool required,
                       std::string& out) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (!required) return true;
            return fail(HostPoolStoreStatus::bad_schema, base,
                        base + "/" + key + ": required member missing");
        }
        if (!it->is_string()) return schema(base + "/" + key, "expected a string");
        out = it->get<std::string>();
        return true;
    }

    bool document(const json& doc) {
        if (!doc.is_object())
            return fail(HostPoolStoreStatus::bad_schema, "", "/: expected an object");
        auto version = doc.find("version");
        if (version == doc.end()) {
            return fail(HostPoolStoreStatus::bad_schema, "", "/version: required member missing");
        }
        if (!version->is_number_integer()) return schema("/version", "expected an integer");
        if (!version->is_number_unsigned() || version->get<std::uint64_t>() != 1) {
            return fail(
                HostPoolStoreStatus::unsupported_version, "/version",
                "/version: version `" + version->dump() + "` is not supported (expected `1`)");
        }
        auto pools = doc.find("hostPools");
        if (pools == doc.end()) {
            return fail(HostPoolStoreStatus::bad_schema, "", "/hostPools: required member missing");
        }
        if (!pools->is_array()) return schema("/hostPools", "expected an array");
        for (auto it = doc.begin(); it != doc.end(); ++it) {
            if (it.key() != "version" && it.key() != "hostPools")
                r_.store.extra.push_back({it.key(), it.value().dump()});
        }
        const std::vector<std::uint32_t> lines =
            detail::text_lines(text_, detail::json_array_offsets(text_, "/hostPools"));
        for (std::size_t i = 0; i < pools->size(); ++i) {
            std::uint32_t line = i < lines.size() ? lines[i] : 0;
            if (!pool((*pools)[i], "/hostPools/" + std::to_string(i), line)) return false;
        }
        return true;
    }

    bool pool(const json& p, const std::string& base, std::uint32_t line) {
        if (!p.is_object()) return schema(base, "expected an object");
        HostPool out;
        out.line = line;
        if (!string_member(p, base, "name", true, out.name)) return false;
        if (out.name.empty()) return schema(base + "/name", "must not be empty");
        if (!string_member(p, base, "product", true, out.product)) return false;
        if (!parse_product(out.product)) {
            return schema(base + "/product", "`" + shown_text(out.product) +
                                                 "` is not one of `avd`, `w365`, `devbox`, `rds`, "
                                                 "`linux`");
        }
        if (!string_member(p, base, "friendlyName", false, out.friendly_name)) return false;
        if (!string_member(p, base, "customRdpProperty", false, out.custom_rdp_property)) {
            return false;
        }
        if (!string_member(p, base, "armPath", false, out.arm_path)) return false;
        for (auto it = p.begin(); it != p.end(); ++it) {
            const std::string& k = it.key();
            if (k != "name" && k != "product" && k != "friendlyName" && k != "customRdpProperty" &&
                k != "armPath") {
                out.extra.push_back({k, it.value().dump()});
            }
        }
        const auto [seen, fresh] =
            names_.emplace(detail::ascii_lower(out.name), r_.store.pools.size());
        if (!fresh) {
            const std::size_t j = seen->second;
            return fail(HostPoolStoreStatus::duplicate_name, base + "/name",
                        base + "/name: `" + shown_text(out.name) + "` duplicates `/hostPools/" +
                            std::to_string(j) + "/name` (line " +
                            std::to_string(r_.store.pools[j].line) + ")");
        }
        r_.store.pools.push_back(std::move(out));
        return true;
    }
};

}  // namespace

const HostPool* HostPoolStore::find(std::string_view name) const {
    for (const HostPool& p : pools) {
        if (detail::iequals(p.name, name)) return &p;
    }
    return nullptr;
}

std::string_view to_string(HostPoolStoreStatus s) {
    switch (s) {
        case HostPoolStoreStatus::ok:
            return "ok";
        case HostPoolStoreStatus::io_error:
            return "io_error";
        case HostPoolStoreStatus::bad_json:
            return "bad_json";
        case HostPoolStoreStatus::bad_schema:
            return "bad_schema";
        case HostPoolStoreStatus::unsupported_version:
            return "unsupported_version";
        case HostPoolStoreStatus::duplicate_name:
            return "duplicate_name";
    }
    return "?";
}

HostPoolStoreResult parse_hostpool_store(std::string_view text) {
    std::size_t bom = 0;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") bom = 3;
    return StoreReader(text.substr(bom), bom).run();
}

HostPoolStoreResult read_hostpool_store(const std::string& path) {
    auto f = detail::read_file_bytes(path);
    if (!f.ok) {
        HostPoolStoreResult r;
        r.status = HostPoolStoreStatus::io_error;
        r.message = f.error;
        return r;
    }
    std::string_view text(reinterpret_cast<const char*>(f.bytes.data()), f.bytes.size());
    HostPoolStoreResult r = parse_hostpool_store(text);
    if (!r.ok()) r.message = path + ": " + r.message;
    return r;
}

}  // namespace comredir::policy
