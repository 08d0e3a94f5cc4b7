#!/usr/bin/python3
"""A program's command tree read from its own --help (CLI11's layout: `Options:`,
`Positionals:` and `Subcommands:` sections of two-space-indented lines), every subcommand
in turn, and written as
  --man-include FILE   a help2man include: a SUBCOMMANDS section holding each subcommand's
                       whole --help, so the man page says what --help says and never drifts;
  --completion FILE    a bash completion script: subcommands at every level, each one's
                       options; after an option, its choices (`TEXT:{a,b}`), folders (DIR),
                       file names (FILE, or plain TEXT: mostly paths), or nothing (ID, URL...).
Run at build time on the built program (packaging/CMakeLists.txt).

usage: help_tree.py PROGRAM [--man-include FILE] [--completion FILE]
"""
import argparse
import os
import re
import subprocess
import sys

OPTION = re.compile(r"^  ((?:-[A-Za-z0-9],)?--?[A-Za-z0-9][\w-]*(?:,--?[\w-]+)*)(?: ([A-Z][^ ]*))?")
SUBCOMMAND = re.compile(r"^  ([a-z][\w-]*)(?:\s{2,}|$)")


class Command:
    def __init__(self, path, text):
        self.path, self.text = path, text
        self.options = {}  # name -> value type ('' for a flag)
        self.subcommands = []
        self.children = []
        section = None
        for line in text.splitlines():
            if line and not line.startswith(" "):
                section = line.rstrip(":") if line.endswith(":") else None
                continue
            if section == "Options":
                m = OPTION.match(line)
                if m:
                    for name in m.group(1).split(","):
                        self.options[name] = m.group(2) or ""
            elif section == "Subcommands":
                m = SUBCOMMAND.match(line)
                if m:
                    self.subcommands.append(m.group(1))


def read_tree(program, path=(), depth=0):
    env = dict(os.environ, COLUMNS="80", LC_ALL="C.UTF-8")
    p = subprocess.run([program, *path, "--help"], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        sys.exit(f"help_tree.py: `{' '.join([program, *path, '--help'])}` exited {p.returncode}: {p.stderr.strip()}")
    cmd = Command(list(path), p.stdout)
    if depth < 3:
        cmd.children = [read_tree(program, (*path, s), depth + 1) for s in cmd.subcommands]
    return cmd


CHOICES = re.compile(r"\{([^}]*)\}")


def value_kind(type_name):
    """What follows an option of this CLI11 type name: `choice`, `dir`, `file`, or `other`."""
    if CHOICES.search(type_name):
        return "choice"
    if "DIR" in type_name:
        return "dir"
    if "FILE" in type_name or type_name in ("TEXT", "STRING"):
        return "file"
    return "other"


def walk(cmd):
    yield cmd
    for c in cmd.children:
        yield from walk(c)


def roff_lines(text):
    out = []
    for line in text.rstrip("\n").splitlines():
        line = line.replace("\\", "\\e")
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return out


def man_include(name, root):
    lines = ["[SUBCOMMANDS]",
             f"Each subcommand's own help, as `{name} SUBCOMMAND --help` prints it."]
    for cmd in walk(root):
        if not cmd.path:
            continue
        lines += [f'.SS "{name} {" ".join(cmd.path)}"', ".nf"] + roff_lines(cmd.text) + [".fi"]
    return "\n".join(lines) + "\n"


def case_lines(fn, table):
    lines = [f"{fn}() {{", '    case "$1" in']
    for key, words in table:
        if words:
            lines.append(f'        "{key}") echo "{" ".join(words)}" ;;')
    lines += ["    esac", "}"]
    return lines


def completion(name, root):
    fn = "_" + re.sub(r"\W", "_", name)
    cmds = list(walk(root))
    key = lambda c: " ".join(c.path)  # noqa: E731
    subs = [(key(c), c.subcommands) for c in cmds]
    opts = [(key(c), sorted(o for o in c.options if o.startswith("--"))) for c in cmds]
    files = [(key(c), sorted(o for o, t in c.options.items() if value_kind(t) == "file")) for c in cmds]
    dirs = [(key(c), sorted(o for o, t in c.options.items() if value_kind(t) == "dir")) for c in cmds]
    valued = [(key(c), sorted(o for o, t in c.options.items() if t)) for c in cmds]
    choices = [(f"{key(c)}|{o}", CHOICES.search(t).group(1).split(","))
               for c in cmds for o, t in sorted(c.options.items()) if value_kind(t) == "choice"]
    lines = [f"# bash completion for {name}: its subcommands at every level and their options,",
             f"# generated from `{name} --help` (packaging/help_tree.py); do not edit.", ""]
    lines += case_lines(f"{fn}_subs", subs) + case_lines(f"{fn}_opts", opts)
    lines += case_lines(f"{fn}_files", files) + case_lines(f"{fn}_dirs", dirs)
    lines += case_lines(f"{fn}_valued", valued) + case_lines(f"{fn}_choices", choices)
    lines += f"""
{fn}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" path="" i w
    [ "$COMP_CWORD" -gt 0 ] && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    # The subcommand path so far: each word that is a subcommand of the path before it.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        case " $({fn}_subs "$path") " in
            *" $w "*) path="${{path:+$path }}$w" ;;
        esac
    done
    local choices
    choices="$({fn}_choices "$path|$prev")"
    if [ -n "$choices" ]; then
        COMPREPLY=($(compgen -W "$choices" -- "$cur")); return
    fi
    case " $({fn}_files "$path") " in
        *" $prev "*) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    esac
    case " $({fn}_dirs "$path") " in
        *" $prev "*) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    esac
    case " $({fn}_valued "$path") " in
        *" $prev "*) COMPREPLY=(); return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$({fn}_opts "$path")" -- "$cur"))
    elif [ -n "$({fn}_subs "$path")" ]; then
        COMPREPLY=($(compgen -W "$({fn}_subs "$path")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
    fi
}}
complete -F {fn} {name}
""".splitlines()
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("program")
    ap.add_argument("--name", help="the program's name (default: the file's)")
    ap.add_argument("--man-include")
    ap.add_argument("--completion")
    a = ap.parse_args()
    name = a.name or os.path.basename(a.program)
    root = read_tree(os.path.abspath(a.program))
    if a.man_include:
        with open(a.man_include, "w", encoding="utf-8") as f:
            f.write(man_include(name, root))
    if a.completion:
        with open(a.completion, "w", encoding="utf-8") as f:
            f.write(completion(name, root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
