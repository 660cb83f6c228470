#!/usr/bin/env python3
"""Regenerates the CPython formatting tables that `engine::pyfmt`'s tests compare against.

The engine's messages must match a Python reference byte for byte, so `pyfmt` is checked
against what CPython itself prints. Each table keeps its sample of inputs (the first column, or
the input list) and this script recomputes every expected column with the running interpreter:

    python3 crates/engine/tests/data/pyfmt/generate.py          # rewrite the tables
    python3 crates/engine/tests/data/pyfmt/generate.py --check  # exit 1 if any differs
    python3 crates/engine/tests/data/pyfmt/generate.py --non-printable  # pyfmt's NON_PRINTABLE

Run it with CPython 3.11 (the reference's version; Unicode 14.0 for `str.isprintable`).

Tables:
- float_cases.txt: `bits repr .0f .1f .2f .3f .4f .6f ,.0f .0% .1% .2%` per line, `bits` the
  IEEE-754 pattern in hex. The sample: special values (ties such as 0.5 and 2.5, signed zeros,
  infinities, NaN), amounts and ratios of the kind engine messages print, and random patterns.
- repr_cases.txt: `bits repr` for random bit patterns over every exponent.
- str_list_cases.jsonl: `[items, repr(items)]` per line, for lists of identifiers with quotes,
  escapes, controls and the edges of every non-printable range.
"""

import json
import struct
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def from_bits(bits: str) -> float:
    return struct.unpack(">d", bytes.fromhex(bits))[0]


def float_row(bits: str) -> str:
    x = from_bits(bits)
    cols = [repr(x)]
    cols += [format(x, f".{d}f") for d in (0, 1, 2, 3, 4, 6)]
    cols.append(format(x, ",.0f"))
    cols += [format(x, f".{d}%") for d in range(3)]
    return " ".join([bits, *cols])


def repr_row(bits: str) -> str:
    return f"{bits} {from_bits(bits)!r}"


def str_list_row(line: str) -> str:
    items, _ = json.loads(line)
    return json.dumps([items, repr(items)], ensure_ascii=False, separators=(",", ":"))


def regenerate(name: str, row) -> bool:
    path = HERE / name
    # Not `splitlines`: the string cases hold U+2028, U+0085 and other line breaks.
    old = path.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    new = [row(line.split(" ", 1)[0] if not line.startswith("[") else line) for line in old]
    if new == old:
        return True
    if "--check" in sys.argv:
        for before, after in zip(old, new):
            if before != after:
                print(f"{name}: {before!r} -> {after!r}")
        return False
    path.write_text("\n".join(new) + "\n", encoding="utf-8")
    print(f"rewrote {name}")
    return True


def non_printable_ranges():
    """Assigned non-ASCII code points `str.isprintable` rejects, apart from controls (Cc) and
    surrogates (Cs: a Rust `char` cannot hold one)."""
    ranges = []
    for cp in range(0x80, sys.maxunicode + 1):
        c = chr(cp)
        category = unicodedata.category(c)
        if category in ("Cc", "Cn", "Cs") or c.isprintable():
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def main() -> int:
    if "--non-printable" in sys.argv:
        print(f"// Unicode {unicodedata.unidata_version}")
        for lo, hi in non_printable_ranges():
            print(f"    (0x{lo:04X}, 0x{hi:04X}),")
        return 0
    ok = regenerate("float_cases.txt", float_row)
    ok &= regenerate("repr_cases.txt", repr_row)
    ok &= regenerate("str_list_cases.jsonl", str_list_row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
