"""Strict command-line values for edge-llm's Python tools: the Python side of
helper/strict-flags.h (one way for all programs).

A bad value gives one line on stderr, "<program>: error: argument --flag: '<value>' is not
allowed; expected <what is allowed>", and exit code 2; never a traceback. Use Parser instead of
argparse.ArgumentParser and the type= readers below:

    import edge_llm_args as ea
    p = ea.Parser(prog="reproduce")
    p.add_argument("--runs", type=ea.integer(1, 100000))
    p.add_argument("--bin-s", type=ea.real(0, lo_open=True, unit="s"))
    p.add_argument("--out", type=ea.output_dir)
"""

import argparse
import math
import os
import re
import sys

__all__ = ["Parser", "integer", "real", "output_dir", "comma_list"]

_INTEGER = re.compile(r"^[0-9]+$")
_REAL = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors ("PROG: error: MESSAGE") and exit code 2; no prefix
    matching of long options (--out does not silently stand for --output)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        print("%s: error: %s" % (self.prog, " ".join(message.split())), file=sys.stderr)
        sys.exit(2)


def _refuse(text, allowed):
    raise argparse.ArgumentTypeError("'%s' is not allowed; expected %s" % (text, allowed))


def integer(lo, hi=2**32 - 1, what=""):
    """A reader of whole numbers in [lo, hi] (digits only: no sign, exponent or fraction)."""
    allowed = "an integer in %d … %d%s" % (lo, hi, " (%s)" % what if what else "")

    def read(text):
        if not _INTEGER.match(text) or not lo <= int(text) <= hi:
            _refuse(text, allowed)
        return int(text)

    read.__name__ = "integer"
    return read


def real(lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False, unit=""):
    """A reader of finite decimal numbers in the interval from lo to hi (open or closed ends)."""
    if math.isfinite(lo) and math.isfinite(hi):
        allowed = "a number in %s%g, %g%s" % ("(" if lo_open else "[", lo, hi,
                                               ")" if hi_open else "]")
    elif math.isfinite(lo):
        allowed = "a number %s %g" % (">" if lo_open else ">=", lo)
    elif math.isfinite(hi):
        allowed = "a number %s %g" % ("<" if hi_open else "<=", hi)
    else:
        allowed = "a finite number"
    if unit:
        allowed += " in " + unit

    def read(text):
        if not _REAL.match(text):
            _refuse(text, allowed)
        x = float(text)
        ok = (math.isfinite(x) and (x > lo if lo_open else x >= lo)
              and (x < hi if hi_open else x <= hi))
        if not ok:
            _refuse(text, allowed)
        return x

    read.__name__ = "number"
    return read


def output_dir(text):
    """A folder to write into: created later if missing; an existing file is an error."""
    if text == "":
        _refuse(text, "a folder")
    probe = text
    while probe and not os.path.exists(probe):
        parent = os.path.dirname(probe.rstrip("/"))
        if parent == probe:
            break
        probe = parent
    if probe and os.path.exists(probe) and not os.path.isdir(probe):
        _refuse(text, "a folder, but %s is a file" % probe)
    return text


def comma_list(item_reader=None, example="a,b"):
    """A reader of comma-separated lists without empty or repeated items; item_reader (an
    integer() or real() reader) checks each item."""
    allowed = "a comma-separated list without empty or repeated items, e.g. %s" % example

    def read(text):
        items = text.split(",")
        if any(i == "" for i in items):
            _refuse(text, allowed + " (an item is empty)")
        if len(set(items)) != len(items):
            dup = [i for i in items if items.count(i) > 1][0]
            _refuse(text, allowed + " ('%s' is repeated)" % dup)
        if item_reader is None:
            return items
        out = []
        for i in items:
            try:
                out.append(item_reader(i))
            except argparse.ArgumentTypeError as e:
                raise argparse.ArgumentTypeError("'%s': item %s" % (text, e))
        return out

    read.__name__ = "list"
    return read
