#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Lists the C++ functions longer than a number of lines, longest first.

Reads ns-3-style sources as text (a function's body opens and closes with a brace in column 0;
namespaces, classes and structs are skipped), so functions defined inside a class body are not
seen. Usage: contrib/function-lengths.py [--over N] [--fail-over M] [DIR ...]
(default: --over 100, model/ and helper/). --fail-over M: exit 1 if any function is longer
than M lines (the rule is "under ~150").
"""
import argparse
import pathlib
import re
import sys

SIGNATURE_START = re.compile(r"^[A-Za-z_~:<>,*& 0-9]*\(")
NAME = re.compile(r"([A-Za-z_~][\w:~<>]*)\s*\(")


def functions(path):
    """Yields (lines, first line, name) of every function body in column 0 of path."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    i = 0
    while i < len(lines):
        if lines[i] != "{":
            i += 1
            continue
        sig = ""
        j = i - 1
        while j >= 0 and lines[j].strip() and not lines[j].startswith(("}", "//", " *", "/*")):
            sig = lines[j] + " " + sig
            if SIGNATURE_START.match(lines[j]):
                break
            j -= 1
        head = sig.strip()
        if head.startswith(("namespace", "class", "struct", "enum", "union")) or "namespace" in sig:
            i += 1
            continue
        k = i + 1
        while k < len(lines) and not lines[k].startswith("}"):
            k += 1
        m = NAME.search(sig)
        if m:
            yield k - i + 1, i + 1, m.group(1)
        i = k + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--over", type=int, default=100, help="list functions longer than this")
    ap.add_argument("--fail-over", type=int, default=0, help="exit 1 above this (0: never)")
    ap.add_argument("dirs", nargs="*", default=["model", "helper"])
    args = ap.parse_args()
    rows = []
    for d in args.dirs:
        for p in sorted(pathlib.Path(d).rglob("*")):
            if p.suffix in (".cc", ".h"):
                rows += [(n, f"{p}:{line}", name) for n, line, name in functions(p)]
    rows.sort(key=lambda r: (-r[0], r[1]))
    for n, where, name in rows:
        if n > args.over:
            print(f"{n:5d}  {name}  {where}")
    if args.fail_over and rows and rows[0][0] > args.fail_over:
        print(f"function-lengths: {rows[0][2]} ({rows[0][1]}) has {rows[0][0]} lines, above "
              f"{args.fail_over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
