// `comredir-policy rdp get|set|unset`: client .rdp files, read as the resolver reads them and
// edited one line at a time (libpolicy's rdp_edit), everything else kept byte for byte.
#include <algorithm>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "diff.hpp"
#include "options.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

std::string eol_name(const std::string& eol) {
    if (eol == "\r\n") return "crlf";
    if (eol == "\n") return "lf";
    return eol == "\r" ? "cr" : "none";
}

std::string lines_text(const std::vector<std::uint32_t>& lines) {
    std::string out = lines.size() == 1 ? "line " : "lines ";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += (i == 0 ? "" : ", ") + std::to_string(lines[i]);
    }
    return out;
}

// ---- get ---------------------------------------------------------------------------------

struct GetOptions {
    std::string file;
    std::string name;
    bool json = false;
};

nlohmann::json property_json(const pol::RdpProperty& p) {
    nlohmann::json j = {
        {"line", p.line}, {"name", p.name}, {"type", std::string(1, p.type)}, {"value", p.value}};
    if (p.integer) j["integer"] = *p.integer;
    return j;
}

int run_get(const GetOptions& o) {
    auto r = pol::read_rdp(o.file);
    if (!r.ok()) {
        print_error(r.message);
        return exit_input;
    }
    const pol::RdpFile& f = r.file;
    if (!o.name.empty()) {
        const pol::RdpProperty* p = f.find_first(o.name);
        if (p == nullptr) {
            const auto close = pol::rdp_suggest_name(o.name);
            print_error(o.file + ": `" + printable(o.name) + "` is not set" +
                        (close ? " (did you mean `" + *close + "`?)" : ""));
            return exit_not_set;
        }
        std::vector<std::uint32_t> repeats;
        for (const auto& q : f.properties) {
            if (&q != p && iequals(q.name, o.name)) repeats.push_back(q.line);
        }
        if (!repeats.empty()) {
            print_error("note: " + o.file + ": `" + p->name + "` repeats on " +
                        lines_text(repeats) + ": line " + std::to_string(p->line) +
                        ", the first, is the one FreeRDP and comredir read");
        }
        if (o.json) {
            auto j = property_json(*p);
            j["file"] = o.file;
            j["repeats"] = repeats;
            std::cout << j.dump(2) << '\n';
        } else {
            std::cout << printable(p->value) << '\n';
        }
        return exit_ok;
    }
    for (const auto& w : f.warnings) print_error("warning: " + o.file + ": " + w);
    for (const auto& n : f.notes) print_error("note: " + o.file + ": " + n);
    const bool is_signed = pol::rdp_is_signed(f);
    if (o.json) {
        nlohmann::json props = nlohmann::json::array();
        for (const auto& p : f.properties) props.push_back(property_json(p));
        nlohmann::json j = {
            {"file", o.file},         {"encoding", std::string(pol::to_string(f.encoding))},
            {"eol", eol_name(f.eol)}, {"signed", is_signed},
            {"properties", props},    {"warnings", f.warnings},
            {"notes", f.notes}};
        std::cout << j.dump(2) << '\n';
        return exit_ok;
    }
    Table t({"line", "name", "type", "value"});
    for (const auto& p : f.properties) {
        t.add({std::to_string(p.line), printable(p.name), std::string(1, p.type),
               printable(p.value)});
    }
    t.print(std::cout);
    std::cout << f.properties.size() << (f.properties.size() == 1 ? " property" : " properties")
              << "; " << pol::to_string(f.encoding) << ", " << eol_name(f.eol)
              << (is_signed ? "; signed (rdp set refuses to change it without --strip-signature)"
                            : "")
              << '\n';
    return exit_ok;
}

// ---- set / unset ---------------------------------------------------------------------------

struct EditOptions {
    bool unset = false;
    std::string file;
    std::string name;
    std::optional<std::string> value;
    bool dry_run = false;
    bool backup = false;
    bool strip_signature = false;
    bool json = false;
};

int exit_for(pol::RdpFileEditStatus s) {
    switch (s) {
        case pol::RdpFileEditStatus::ok:
            return exit_ok;
        case pol::RdpFileEditStatus::bad_file:
            return exit_input;
        case pol::RdpFileEditStatus::reread_failed:
            return exit_internal;
        default:
            return exit_usage;
    }
}

int run_edit(const EditOptions& o) {
    std::string name = o.name;
    std::optional<char> type;
    std::string value = o.value.value_or("");
    if (!o.unset && name.find(':') != std::string::npos) {
        auto a = pol::parse_rdp_assignment(name);
        if (!a) {
            print_error("`" + name +
                        "` is neither a property name nor `name:type:value` (type i, s or b)");
            return exit_usage;
        }
        if (o.value) {
            print_error("give NAME VALUE or `name:type:value`, not both");
            return exit_usage;
        }
        name = a->name;
        type = a->type;
        value = a->value;
    } else if (!o.unset && !o.value) {
        print_error("no VALUE for `" + name + "` (or give `name:type:value`)");
        return exit_usage;
    }
    pol::FolderLockResult lock;
    const auto before = lock_and_read(o.file, o.dry_run, lock);
    if (!before) return exit_input;
    pol::RdpFileEditOptions opt;
    opt.strip_signature = o.strip_signature;
    auto edit = o.unset ? pol::rdp_file_unset(*before, name, opt)
                        : pol::rdp_file_set(*before, name, type, value, opt);
    if (!edit.ok()) {
        print_error(o.file + ": " + edit.message);
        return exit_for(edit.status);
    }
    for (const auto& n : edit.notes) print_error("note: " + o.file + ": " + n);
    if (auto strict = pol::parse_rdp(edit.bytes); !strict.ok()) {
        print_error("warning: " + o.file + ": " + strict.message +
                    ": kept as it was, but comredir's reader (rdp get, effective) rejects the file "
                    "until that line is fixed");
    }

    const std::string text = edit.name + ":" + std::string(1, edit.type) + ":" + edit.value;
    nlohmann::json report = {{"file", o.file},
                             {"action", o.unset ? "unset" : "set"},
                             {"name", edit.name},
                             {"changed", edit.changed},
                             {"dry_run", o.dry_run},
                             {"encoding", std::string(pol::to_string(edit.encoding))},
                             {"removed_lines", edit.removed_lines},
                             {"signature_stripped", edit.signature_stripped},
                             {"notes", edit.notes}};
    if (!o.unset) {
        report["type"] = std::string(1, edit.type);
        report["value"] = edit.value;
        report["type_source"] = std::string(pol::to_string(edit.type_source));
        report["line"] = edit.line;
        report["added"] = edit.added;
        report["previous"] = edit.added ? nlohmann::json(nullptr) : nlohmann::json(edit.previous);
        report["repeats"] = edit.repeats;
    }
    const std::string bak = o.file + ".bak";
    report["backup"] = o.backup && edit.changed && !o.dry_run ? nlohmann::json(bak) : nullptr;

    if (o.dry_run) {
        auto a = pol::rdp_text_lines(*before).value_or(std::vector<std::string>{});
        auto b = pol::rdp_text_lines(edit.bytes).value_or(std::vector<std::string>{});
        if (!o.json) {  // the file's own lines may hold control characters
            for (auto* lines : {&a, &b}) {
                for (auto& l : *lines) l = printable(l);
            }
        }
        std::string diff = unified_diff(a, b, o.file, o.file + " (after)");
        print_preview(report, diff, o.file, o.json);
        return exit_ok;
    }
    if (edit.changed && !replace_file(o.file, *before, edit.bytes, o.backup)) return exit_input;
    if (o.json) {
        std::cout << report.dump(2) << '\n';
        return exit_ok;
    }
    if (o.unset) {
        std::vector<std::uint32_t> own;  // the property's lines, without the signature's
        for (auto n : edit.removed_lines) {
            if (std::find(edit.signature_lines.begin(), edit.signature_lines.end(), n) ==
                edit.signature_lines.end()) {
                own.push_back(n);
            }
        }
        std::cout << (edit.changed
                          ? o.file + ": removed `" + edit.name + "` (" + lines_text(own) + ")\n"
                          : o.file + ": `" + edit.name + "` is not set: nothing written\n");
    } else if (!edit.changed) {
        std::cout << o.file << ": line " << edit.line << " already `" << text
                  << "`: nothing written\n";
    } else if (edit.added) {
        std::cout << o.file << ": line " << edit.line << " added: `" << text << "` (type "
                  << pol::to_string(edit.type_source) << ")\n";
    } else {
        std::cout << o.file << ": line " << edit.line << ": `" << printable(edit.previous)
                  << "` -> `" << text << "`\n";
    }
    if (edit.changed && o.backup) std::cout << "  previous file kept as " << bak << '\n';
    return exit_ok;
}

constexpr const char* kRdpFooter =
    R"(A .rdp file is a client connection file: one `name:type:value` property per
line (type `i` integer, `s` string, `b` binary), opened by mstsc, the Windows
App / Remote Desktop clients and FreeRDP. mstsc saves UTF-16LE with a BOM and
CRLF line ends; AVD feed files are UTF-8. Names are case-insensitive. When a
name repeats, FreeRDP (and comredir's resolver) use the FIRST occurrence.

Signed files: `signscope` and `signature` properties (rdpsign, RD Web, AVD
feeds) let the client check that the file is unchanged. Any edit voids the
signature and the client then warns or refuses to connect, so `rdp set` and
`rdp unset` refuse to change a signed file unless --strip-signature, which
removes both lines as part of the edit (sign the file again with rdpsign if
your clients require signed files).

examples:
  comredir-policy rdp get client.rdp
  comredir-policy rdp get client.rdp redirectcomports
  comredir-policy rdp set client.rdp redirectcomports 0 --dry-run
  comredir-policy rdp set client.rdp drivestoredirect 'C:\;E:\;' --backup
  comredir-policy rdp set client.rdp username:s:1234
  comredir-policy rdp unset client.rdp usbdevicestoredirect --strip-signature)";

constexpr const char* kGetFooter =
    R"(Reads the file as the resolver does (`effective --rdp FILE`): every property in
file order (line, name, type, value), or only the value of NAME (its first
occurrence; repeats are noted on stderr).

Comment lines (first character other than space or tab `;`) are skipped, as
mstsc and FreeRDP skip them; a note on stderr names their lines. Text output
shows control characters in names and values as `\xNN` (C1 controls as
`\u00NN`) so that a value cannot drive the terminal; --json gives them as they
are (JSON-escaped).

--json: {"file", "encoding", "eol", "signed", "properties": [{"line", "name",
"type", "value", "integer"}], "warnings", "notes"}; with NAME one property
object with "file" and "repeats" (the later lines that repeat the name).

exit codes: 0 printed; 3 the file is unreadable or malformed (the message gives
the line); 5 NAME is not set in the file (a close documented name is suggested).)";

constexpr const char* kEditFooter =
    R"(Changes one line and keeps everything else byte for byte: the encoding (UTF-16LE
with BOM, UTF-8 with or without BOM, ANSI), every line end, the order, comments
and lines comredir does not understand, a missing final newline. Comment lines
(`;`) are never read as a property and stay as they are.

set: an existing property is replaced where it is (its first occurrence, the one
FreeRDP reads; later repeats are reported, not touched); a new one becomes the
last line. Its type comes from the existing line, else from Microsoft's list of
supported RDP properties, else from the value (a decimal integer is `i`,
anything else `s`); NAME:TYPE:VALUE as one argument gives it (`username:s:1234`).
A new NAME that is neither documented nor in the file, but close to a documented
one, is written with a note asking whether that one was meant
(`redirectcomport` -> `redirectcomports`).
Values: `i` a 32-bit decimal integer (written canonical: `010` becomes `10`,
which FreeRDP would read as octal 8); `s` one line, no control characters, no
spaces at either end (FreeRDP 3 trims them); `b` hex digits.
unset: removes every line that sets NAME.

Before anything is written the result is read back (also by comredir's own
reader): the property must read as intended and every other line as before.
The folder is locked while writing; the file is replaced atomically (temp file,
fsync, rename) and keeps its mode and owner. --dry-run prints a unified diff
and writes nothing; --backup keeps the previous file as FILE.bak. Text output
shows control characters found in the file as `\xNN` (C1 as `\u00NN`).

exit codes: 0 written, or nothing to change; 2 bad name (empty, `:`, control
characters, spaces at an end, a leading `/` or `;`), type or value, a signed
file without --strip-signature, a character the file's encoding cannot hold;
3 no such file, bytes that do not decode, lock timeout or write failure.)";

Command add_rdp_edit(CLI::App& rdp, bool unset) {
    auto o = std::make_shared<EditOptions>();
    o->unset = unset;
    auto* app = unset
                    ? rdp.add_subcommand("unset", "remove a property from a .rdp file")
                    : rdp.add_subcommand("set", "set a property in a .rdp file, changing one line");
    app->footer(kEditFooter);
    app->add_option("FILE", o->file, ".rdp file to edit")->required();
    app->add_option(
           "NAME", o->name,
           unset ? "property name (case-insensitive)" : "property name, or name:type:value")
        ->required();
    if (!unset) app->add_option("VALUE", o->value, "the value");
    app->add_flag("--dry-run", o->dry_run, "print a unified diff; write nothing");
    app->add_flag("--backup", o->backup, "keep the previous file as FILE.bak");
    app->add_flag("--strip-signature", o->strip_signature,
                  "on a signed file, remove signscope/signature as part of the change");
    app->add_flag("--json", o->json, "print a JSON report");
    return Command{app, [o] { return run_edit(*o); }};
}

}  // namespace

std::vector<Command> add_rdp(CLI::App& root) {
    auto* rdp = root.add_subcommand(
        "rdp", "client .rdp files: read properties, set or remove one and keep the rest");
    rdp->footer(kRdpFooter);
    rdp->require_subcommand(1);
    auto g = std::make_shared<GetOptions>();
    auto* get =
        rdp->add_subcommand("get", "print a .rdp file's properties, or one property's value");
    get->footer(kGetFooter);
    get->add_option("FILE", g->file, ".rdp file to read")->required();
    get->add_option("NAME", g->name, "only this property (case-insensitive)");
    get->add_flag("--json", g->json, "print JSON");
    std::vector<Command> out;
    out.push_back(Command{get, [g] { return run_get(*g); }});
    out.push_back(add_rdp_edit(*rdp, false));
    out.push_back(add_rdp_edit(*rdp, true));
    return out;
}

}  // namespace comredir::cli
