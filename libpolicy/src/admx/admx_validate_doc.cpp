// Internal: loading one file for the ADMX validator.
#include "admx/admx_validate_doc.hpp"

#include <algorithm>

#include "admx/admx_internal.hpp"
#include "io/file_io.hpp"

namespace comredir::policy::detail {

std::uint32_t ValidatedDoc::line_of(const pugi::xml_node& at) const {
    if (!at || at.offset_debug() < 0) return 0;
    auto off = static_cast<std::size_t>(at.offset_debug());
    auto it = std::upper_bound(starts.begin(), starts.end(), off);
    return static_cast<std::uint32_t>(it - starts.begin());
}

AdmxFinding ValidatedDoc::finding(std::string_view id, const pugi::xml_node& at,
                                  const std::string& what) const {
    return make_admx_finding(id, path, line_of(at), what);
}

bool load_validated_doc(const std::string& path, ValidatedDoc& d, std::vector<AdmxFinding>& out) {
    d.path = path;
    auto bytes = read_file_bytes(path);
    if (!bytes.ok) {
        auto f = make_admx_finding("unreadable", path, 0, "");
        f.message = bytes.error;
        out.push_back(std::move(f));
        return false;
    }
    if (!xml_text(bytes.bytes, d.text)) {
        out.push_back(make_admx_finding("malformed", path, 0, "malformed UTF-16 text"));
        return false;
    }
    d.starts = line_starts(d.text);
    std::vector<AdmxError> errors;
    if (!load_xml(d.text, path, d.xml, errors)) {
        for (auto& e : errors) {
            auto f = make_admx_finding("malformed", path, e.line, "");
            f.message = e.message;
            out.push_back(std::move(f));
        }
        return false;
    }
    return true;
}

std::vector<pugi::xml_node> descendants(const pugi::xml_node& parent, std::string_view local) {
    std::vector<pugi::xml_node> out;
    struct Walker : pugi::xml_tree_walker {
        std::string_view want;
        std::vector<pugi::xml_node>* out = nullptr;
        bool for_each(pugi::xml_node& n) override {
            if (n.type() == pugi::node_element && local_name(n) == want) out->push_back(n);
            return true;
        }
    } w;
    w.want = local;
    w.out = &out;
    pugi::xml_node p = parent;
    p.traverse(w);
    return out;
}

std::pair<std::string, std::string> parse_resource_ref(std::string_view v) {
    if (!v.starts_with("$(") || !v.ends_with(")")) return {};
    v = v.substr(2, v.size() - 3);
    auto dot = v.find('.');
    if (dot == std::string_view::npos) return {};
    return {std::string(v.substr(0, dot)), std::string(v.substr(dot + 1))};
}

}  // namespace comredir::policy::detail
