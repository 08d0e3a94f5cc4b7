#pragma once
// Writing the embedded host-pool store (hostpool_store.hpp) without disturbing it.
//
// Edits work on the file's text, so every byte an edit does not touch stays as it was:
// other pools, unknown members, key order, indentation, number spellings, a UTF-8 BOM.
//  - a member's new value replaces only that value's JSON token;
//  - a member the pool lacks is appended as its last member, with the separators the
//    object already uses (`,` + line break + indent before the key, `: ` after it);
//  - a new pool is appended as the last element of `hostPools`, shaped like the pool
//    before it (same separators and indentation); into an empty `hostPools` it goes in
//    the canonical form below (on one line when the file is one line);
//  - deleting a pool removes its element and one `,` with the blanks around it.
// Strings are written as nlohmann::json dumps them (UTF-8 kept, `"` `\` and control
// characters escaped).
//
// Canonical form (the form of new stores): nlohmann::ordered_json::dump(2) plus a final
// newline: two-space indent, `"key": value`, one member or element per line. A store in
// canonical form is still in canonical form after any of these edits.
//
// Every result is read back: it must be a valid store (read_hostpool_store) whose JSON is
// the old document with exactly that change, key order included; otherwise the edit
// fails and returns no text.

#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <string>
#include <string_view>

namespace comredir::policy {

enum class HostPoolEditStatus {
    ok,
    bad_store,  ///< the current text is not a valid store (the reader's message)
    not_found,  ///< no pool of that name
    exists,     ///< add: a pool of that name exists already
    bad_pool,   ///< the change would make the store invalid (the reader's message)
    internal,   ///< the edited text did not read back as intended (a bug)
};
std::string_view to_string(HostPoolEditStatus s);  // "not_found"

struct HostPoolEditResult {
    HostPoolEditStatus status = HostPoolEditStatus::ok;
    std::string message;   ///< one line, e.g. ``host pool `pool9` not found``
    std::string text;      ///< the whole new store text (ok only)
    bool changed = false;  ///< text differs from the input
    bool ok() const { return status == HostPoolEditStatus::ok; }
};

/// Sets string member `key` (`customRdpProperty`, `friendlyName`, ...) of the pool named
/// `pool` (case-insensitive) to `value`, adding the member when the pool has none.
HostPoolEditResult set_hostpool_member(std::string_view store_text, std::string_view pool,
                                       std::string_view key, std::string_view value);

/// Appends `pool`: `name`, `product`, then `friendlyName`, `customRdpProperty` and
/// `armPath` when not empty, then the members of `pool.extra`.
HostPoolEditResult add_hostpool(std::string_view store_text, const HostPool& pool);

/// Removes the pool named `pool` (case-insensitive).
HostPoolEditResult remove_hostpool(std::string_view store_text, std::string_view pool);

/// A store without pools, in canonical form: `{"version": 1, "hostPools": []}`.
std::string empty_hostpool_store_text();

}  // namespace comredir::policy
