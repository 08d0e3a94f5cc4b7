// Intune custom-profile rows for ADMX ingestion: the ADMXInstall row, the per-policy
// OMA-URIs (area from the category chain) and the registry locations ingestion refuses.
// Facts and their sources: comredir/policy/intune_ingest.hpp.
#include <comredir/policy/intune/intune_ingest.hpp>
#include <set>

#include "admx/admx_internal.hpp"
#include "intune/intune_ingest_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

/// Keys ingested policies may not write below (lowercase)...
constexpr std::string_view kIngestRefused[] = {
    "system",
    "software\\microsoft",
    "software\\policies\\microsoft",
};
/// ...except below these (lowercase, as listed on "Win32 and Desktop Bridge app ADMX policy
/// Ingestion", learn.microsoft.com/windows/client-management/
/// win32-and-centennial-app-policy-configuration).
constexpr std::string_view kIngestAllowed[] = {
    "software\\policies\\microsoft\\office",
    "software\\microsoft\\office",
    "software\\microsoft\\windows\\currentversion\\explorer",
    "software\\microsoft\\internet explorer",
    "software\\policies\\microsoft\\shared tools\\proofing tools",
    "software\\policies\\microsoft\\imejp",
    "software\\policies\\microsoft\\ime\\shared",
    "software\\policies\\microsoft\\shared tools\\graphics filters",
    "software\\policies\\microsoft\\windows\\currentversion\\explorer",
    "software\\policies\\microsoft\\softwareprotectionplatform",
    "software\\policies\\microsoft\\officesoftwareprotectionplatform",
    "software\\policies\\microsoft\\windows\\windows search\\preferences",
    "software\\policies\\microsoft\\exchange",
    "software\\microsoft\\shared tools\\proofing tools",
    "software\\microsoft\\shared tools\\graphics filters",
    "software\\microsoft\\windows\\windows search\\preferences",
    "software\\microsoft\\exchange",
    "software\\policies\\microsoft\\vba\\security",
    "software\\microsoft\\onedrive",
    "software\\microsoft\\edge",
    "software\\microsoft\\edgeupdate",
};
/// How the refused roots are written in messages.
constexpr std::string_view kRefusedShown[] = {"System", "Software\\Microsoft",
                                              "Software\\Policies\\Microsoft"};

bool under(std::string_view key, std::string_view root) {
    return key.size() >= root.size() && key.substr(0, root.size()) == root &&
           (key.size() == root.size() || key[root.size()] == '\\');
}

/// The refused root `key` is under, or empty.
std::string_view refused_root(const std::string& key) {
    std::string k = detail::ascii_lower(key);
    while (!k.empty() && k.front() == '\\') k.erase(0, 1);
    while (!k.empty() && k.back() == '\\') k.pop_back();
    for (auto allowed : kIngestAllowed) {
        if (under(k, allowed)) return {};
    }
    for (std::size_t i = 0; i < std::size(kIngestRefused); ++i) {
        if (under(k, kIngestRefused[i])) return kRefusedShown[i];
    }
    return {};
}

/// Every key a policy writes: its own, its lists', its elements' and their lists'.
std::vector<std::string> written_keys(const AdmxPolicy& p) {
    std::vector<std::string> keys{p.key};
    auto add_list = [&](const AdmxValueList& l) {
        for (const auto& it : l.items) keys.push_back(it.key);
    };
    add_list(p.enabled_list);
    add_list(p.disabled_list);
    for (const auto& e : p.elements) {
        keys.push_back(e.key);
        add_list(e.true_list);
        add_list(e.false_list);
        for (const auto& it : e.items) add_list(it.value_list);
    }
    return keys;
}

bool uri_segment(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

AdmxIngestResult fail(AdmxIngestStatus status, std::string message) {
    AdmxIngestResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

/// `Cat_comredir~Cat_Redirection`: category names from the root down, within the file.
std::string category_path(const AdmxSet& set, const AdmxFile& file, const AdmxPolicy& p,
                          std::set<std::string>& notes) {
    std::vector<std::string> chain;
    std::string ref = p.category;
    std::string child;  // the category whose parent `ref` is, for notes
    for (int depth = 0; !ref.empty() && depth < 64; ++depth) {
        std::string name = ref;
        if (auto colon = ref.find(':'); colon != std::string::npos) {
            if (ref.substr(0, colon) != file.prefix) {
                notes.insert(
                    (child.empty() ? "policy `" + p.name + "`" : "category `" + child + "`") +
                    ": parent `" + ref +
                    "` is in another file; the Intune area starts below it (assumed)");
                break;
            }
            name = ref.substr(colon + 1);
        }
        const AdmxCategory* c = set.find_category(file.ns, name);
        if (c == nullptr) {
            notes.insert("category `" + name + "` is not defined in `" + file.admx +
                         "`; the Intune area starts below it");
            break;
        }
        chain.push_back(c->name);
        child = c->name;
        ref = c->parent;
    }
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) out += (out.empty() ? "" : "~") + *it;
    return out;
}

}  // namespace

std::string_view to_string(AdmxIngestStatus s) {
    switch (s) {
        case AdmxIngestStatus::ok:
            return "ok";
        case AdmxIngestStatus::bad_option:
            return "bad_option";
        case AdmxIngestStatus::bad_admx:
            return "bad_admx";
        case AdmxIngestStatus::not_ingestible:
            return "not_ingestible";
        case AdmxIngestStatus::unknown_policy:
            return "unknown_policy";
        case AdmxIngestStatus::unknown_element:
            return "unknown_element";
        case AdmxIngestStatus::bad_value:
            return "bad_value";
    }
    return "unknown";
}

std::string admx_ingest_refusal(const AdmxPolicy& policy) {
    for (const auto& key : written_keys(policy)) {
        auto root = refused_root(key);
        if (!root.empty()) {
            return "policy `" + policy.name + "`: key `" + key + "` is under `" +
                   std::string(root) + "`, where ADMX ingestion refuses to write";
        }
    }
    return {};
}

AdmxIngestResult admx_ingest_payloads(const AdmxSet& set, std::span<const std::uint8_t> admx,
                                      const std::string& admx_name,
                                      const AdmxIngestOptions& options) {
    AdmxIngestResult r;
    std::string base = admx_name.substr(admx_name.find_last_of("/\\") + 1);
    std::string uid = options.file_uid;
    if (uid.empty()) {
        uid = base;
        if (uid.size() > 5 && detail::iequals(uid.substr(uid.size() - 5), ".admx")) {
            uid.resize(uid.size() - 5);
        }
    }
    if (!uri_segment(options.app_name)) {
        return fail(AdmxIngestStatus::bad_option,
                    "app name `" + options.app_name +
                        "` cannot be an OMA-URI segment (use letters, digits, `_`, `-`, `.`)");
    }
    if (!uri_segment(uid)) {
        return fail(AdmxIngestStatus::bad_option,
                    "file uid `" + uid +
                        "` cannot be an OMA-URI segment (use letters, digits, `_`, `-`, `.`)");
    }

    // The ADMXInstall value: the file's text.
    std::string text;
    if (!detail::xml_text(admx, text)) {
        return fail(AdmxIngestStatus::bad_admx, "`" + base + "`: malformed UTF-16");
    }
    if (admx.size() >= 2 && admx[0] == 0xFF && admx[1] == 0xFE) {
        r.notes.push_back("`" + base + "` is UTF-16: the ADMXInstall value is its UTF-8 text");
    } else if (text.size() != admx.size()) {
        r.notes.push_back("`" + base + "` starts with a UTF-8 BOM: dropped from the value");
    }
    std::size_t bad = 0;
    if (!detail::valid_utf8(text, &bad)) {
        return fail(AdmxIngestStatus::bad_admx,
                    "`" + base + "`: offset " + detail::hex_offset(bad) + ": not UTF-8");
    }

    const AdmxFile* file = set.files.empty() ? nullptr : &set.files.front();
    if (file == nullptr) return fail(AdmxIngestStatus::bad_admx, "`" + base + "`: nothing loaded");
    std::vector<const AdmxPolicy*> own;
    for (const auto& p : set.policies) {
        if (p.ns == file->ns) own.push_back(&p);
    }
    for (const auto* p : own) {
        if (auto why = admx_ingest_refusal(*p); !why.empty()) {
            return fail(AdmxIngestStatus::not_ingestible, "`" + base + "`: " + why);
        }
    }

    // Selection and values.
    auto find = [&](std::string_view name) -> const AdmxPolicy* {
        for (const auto* p : own) {
            if (p->name == name) return p;
        }
        return nullptr;
    };
    std::set<std::string> chosen(options.policies.begin(), options.policies.end());
    for (const auto& name : options.policies) {
        if (find(name) == nullptr) {
            return fail(AdmxIngestStatus::unknown_policy,
                        "no policy `" + name + "` in `" + base + "`");
        }
    }
    std::unordered_map<std::string, detail::ElementValues> values;  // by policy
    for (const auto& v : options.values) {
        auto eq = v.find('=');
        std::string key = v.substr(0, eq);
        const AdmxPolicy* p = nullptr;
        for (const auto* q : own) {  // the longest policy name `key` starts with, then `.`
            if (key.size() > q->name.size() && key.compare(0, q->name.size(), q->name) == 0 &&
                key[q->name.size()] == '.' && (p == nullptr || q->name.size() > p->name.size())) {
                p = q;
            }
        }
        if (eq == std::string::npos || p == nullptr) {
            if (eq == std::string::npos || key.find('.') == std::string::npos) {
                return fail(AdmxIngestStatus::bad_value, "`" + v + "` is not POLICY.ELEMENT=VALUE");
            }
            return fail(AdmxIngestStatus::unknown_policy,
                        "no policy `" + key.substr(0, key.find('.')) + "` in `" + base + "`");
        }
        std::string id = key.substr(p->name.size() + 1);
        bool known = false;
        std::string ids;
        for (const auto& e : p->elements) {
            known = known || e.id == id;
            ids += (ids.empty() ? "`" : ", `") + e.id + "`";
        }
        if (!known) {
            return fail(AdmxIngestStatus::unknown_element,
                        "policy `" + p->name + "` has no element `" + id + "` (" +
                            (ids.empty() ? std::string("it has none") : "elements: " + ids) + ")");
        }
        if (options.state == AdmxIngestState::disabled) {
            return fail(AdmxIngestStatus::bad_value,
                        "`" + v + "`: element values apply to enabled policies only");
        }
        values[p->name][id].push_back(v.substr(eq + 1));
        chosen.insert(p->name);
    }

    // Rows.
    r.payloads.push_back(AdmxIngestPayload{
        options.app_name + " ADMX ingestion (" + base + ")",
        "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/" + options.app_name +
            "/Policy/" + uid,
        "String", text,
        "Installs " + base + " (namespace " + file->ns + ", " + std::to_string(own.size()) +
            " policies) on the device; the policy rows work once it is ingested.",
        ""});
    std::set<std::string> notes;
    static const detail::ElementValues kNoValues;
    for (const auto* p : own) {
        if (!chosen.empty() && chosen.count(p->name) == 0) continue;
        bool user = p->cls == AdmxClass::user ||
                    (p->cls == AdmxClass::both && options.both_scope == AdmxIngestScope::user);
        AdmxIngestPayload row;
        row.policy = p->name;
        std::string area = options.app_name + "~Policy";
        std::string path = category_path(set, *file, *p, notes);
        if (!path.empty()) area += "~" + path;
        row.oma_uri = std::string(user ? "./User" : "./Device") + "/Vendor/MSFT/Policy/Config/" +
                      area + "/" + p->name;
        std::string shown = p->display_name.empty() ? p->name : p->display_name;
        if (options.state == AdmxIngestState::disabled) {
            row.name = shown + " (Disabled)";
            row.value = "<disabled/>";
            row.description = p->name + ": Disabled";
        } else {
            auto v = values.find(p->name);
            auto data = detail::enabled_data(*p, v == values.end() ? kNoValues : v->second);
            if (data.status != AdmxIngestStatus::ok) return fail(data.status, data.message);
            for (auto& n : data.notes) r.notes.push_back(std::move(n));
            row.name = shown + " (Enabled)";
            row.value = std::move(data.value);
            row.description =
                p->name + ": Enabled" + (data.description.empty() ? "" : "; " + data.description);
        }
        if (p->cls == AdmxClass::both) {
            row.description += user ? " (class Both: also settable as ./Device)"
                                    : " (class Both: also settable as ./User)";
        }
        r.payloads.push_back(std::move(row));
    }
    r.notes.insert(r.notes.end(), notes.begin(), notes.end());
    return r;
}

}  // namespace comredir::policy
