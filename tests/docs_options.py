#!/usr/bin/python3
"""docs_options.py KIND < TEXT: the option names TEXT documents, one a line,
sorted, for the docs_* tests to compare (comm) with each other.

KIND says where they are read from:
  help  a tool's --help: the option column (a line indented 1-6 spaces that
        starts with '-'; descriptions are indented further, so an option
        named in one is not taken) and the aliases a description gives as
        "(also --NAME)", which may be wrapped onto the next line
  man   a page rendered by man(1): the option lines of every section whose
        title ends in OPTIONS (indented 7, starting with '-'), so that an
        option only mentioned in a description or example does not count
  zsh   _arguments specs, one a line: "(excl)*-name+[help]:..." -> -name
"""
import re
import sys

NAME = re.compile(r"^-{1,2}[A-Za-z0-9][A-Za-z0-9-]*")


def names_in(spec):
    """Option names in an option column entry ("-b, --bitrate RATE[/N]")."""
    found = []
    for tok in re.split(r"[\s,|]+", spec):
        m = NAME.match(tok)
        if m:
            found.append(m.group(0))
    return found


def from_help(text):
    opts = set()
    for line in text.splitlines():
        m = re.match(r"^ {1,6}(-\S.*)$", line)
        if m:
            # The column ends where the description starts: 2+ spaces.
            opts.update(names_in(re.split(r"\s{2,}", m.group(1))[0]))
    flat = re.sub(r"\s+", " ", text)
    opts.update(re.findall(r"\balso (--[A-Za-z0-9][A-Za-z0-9-]*)\)", flat))
    return opts


def from_man(text):
    opts = set()
    in_options = False
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z0-9 ]*$", line):
            in_options = line.rstrip().endswith("OPTIONS")
            continue
        if in_options and re.match(r"^ {7}-", line):
            opts.update(names_in(line.strip()))
    return opts


def from_zsh(text):
    opts = set()
    for line in text.splitlines():
        spec = re.sub(r"^\([^)]*\)", "", line.strip()).lstrip("*")
        m = NAME.match(spec)
        if m:
            opts.add(m.group(0))
    return opts


def main():
    kinds = {"help": from_help, "man": from_man, "zsh": from_zsh}
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.exit("usage: docs_options.py help|man|zsh < TEXT")
    # Groff may print a hyphen or minus sign for '-': compare names as typed.
    text = sys.stdin.read().replace("\u2010", "-").replace("\u2212", "-")
    opts = kinds[sys.argv[1]](text)
    if not opts:
        sys.exit("docs_options.py: no options found in the %s text"
                 % sys.argv[1])
    print("\n".join(sorted(opts)))


if __name__ == "__main__":
    main()
