// The read-back check of every intune edit: the edited export, read by the same reader
// `effective --intune` uses, shows the old settings with exactly one change.
#include <comredir/policy/intune/intune.hpp>

#include "intune/intune_edit_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

bool same(const IntuneSetting& a, const IntuneSetting& b, bool with_pointer) {
    return a.definition_id == b.definition_id && a.value == b.value &&
           a.parent_definition_id == b.parent_definition_id &&
           (!with_pointer || a.json_pointer == b.json_pointer);
}

bool same_list(const std::vector<IntuneSetting>& a, const std::vector<IntuneSetting>& b,
               bool with_pointer) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i], with_pointer)) return false;
    return true;
}

/// `pointer` within the policy (the reader's pointers are relative to their policy).
std::string relative(const EditDoc& doc, const std::string& pointer) {
    return pointer.substr(std::min(doc.policy_pointer.size(), pointer.size()));
}

bool one_change(const EditDoc& doc, const std::vector<IntuneSetting>& before,
                const std::vector<IntuneSetting>& after, const IntuneEdit& e) {
    const std::string at = relative(doc, e.pointer);
    switch (e.action) {
        case IntuneEdit::Action::unchanged:
            return same_list(before, after, true);
        case IntuneEdit::Action::replaced: {
            if (before.size() != after.size()) return false;
            std::size_t changed = 0;
            for (std::size_t i = 0; i < before.size(); ++i) {
                if (same(before[i], after[i], true)) continue;
                ++changed;
                IntuneSetting want = before[i];
                want.value = e.value;
                if (before[i].json_pointer != at || !same(want, after[i], true)) return false;
            }
            return changed == 1;
        }
        case IntuneEdit::Action::added: {
            if (after.size() != before.size() + 1) return false;
            const std::vector<IntuneSetting> head(after.begin(), after.end() - 1);
            const IntuneSetting& added = after.back();
            return same_list(before, head, true) && added.definition_id == e.definition_id &&
                   added.value == e.value && added.parent_definition_id.empty();
        }
        case IntuneEdit::Action::removed: {
            // The instance and everything under it go; the rest stays in order.
            std::vector<IntuneSetting> kept;
            std::size_t gone = 0;
            for (const auto& s : before) {
                if (s.json_pointer == at || s.json_pointer.starts_with(at + "/")) {
                    gone += 1;
                    continue;
                }
                kept.push_back(s);
            }
            return gone >= 1 && same_list(kept, after, false);
        }
    }
    return false;
}

}  // namespace

bool reads_as_intended(const EditDoc& doc, std::span<const std::uint8_t> after,
                       const IntuneEdit& e) {
    const auto a = parse_intune(doc.file);
    const auto b = parse_intune(after);
    if (!a.ok() || !b.ok() || a.file.policies.size() != b.file.policies.size() ||
        doc.policy_index >= a.file.policies.size())
        return false;
    for (std::size_t i = 0; i < a.file.policies.size(); ++i) {
        const auto& pa = a.file.policies[i];
        const auto& pb = b.file.policies[i];
        if (pa.id != pb.id || pa.name != pb.name) return false;
        const bool ok = i == doc.policy_index ? one_change(doc, pa.settings, pb.settings, e)
                                              : same_list(pa.settings, pb.settings, true);
        if (!ok) return false;
    }
    return true;
}

}  // namespace comredir::policy::detail
