#!/usr/bin/env python3
"""Write the dev-set inputs that are not UTF-8 from their readable sources.

    python3 tests/devset/make_inputs.py          # (re)write inputs/ from src/
    python3 tests/devset/make_inputs.py --check  # exit 1 if inputs/ is stale

Every file in `src/` is UTF-8 text; `ENCODINGS` says how its copy in
`inputs/` is encoded (same file name). Inputs that are UTF-8 already live
only in `inputs/` and are not touched. Standard library only.
"""
import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
INPUTS = HERE / "inputs"

# file name -> (codec, BOM bytes to prepend, line ending)
ENCODINGS = {
    "dv02_docshare_two_gbk.html": ("gbk", b"", "\n"),        # page declares <meta charset="gbk">
    "dv09_utf16_bom.txt": ("utf-16-le", b"\xff\xfe", "\r\n"),  # Windows Notepad "Unicode" save
    "dv10_gb18030.txt": ("gb18030", b"", "\n"),              # holds 䶮 (U+4DAE), not in GBK
}


def encoded(name):
    codec, bom, eol = ENCODINGS[name]
    text = (SRC / name).read_text(encoding="utf-8")
    return bom + text.replace("\n", eol).encode(codec)  # strict: fail on an unencodable char


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only compare, write nothing")
    a = ap.parse_args(argv)
    extra = sorted(p.name for p in SRC.iterdir() if p.name not in ENCODINGS)
    if extra:
        print("src/ holds files without an encoding entry: %s" % ", ".join(extra))
        return 1
    stale = 0
    for name in sorted(ENCODINGS):
        data = encoded(name)
        out = INPUTS / name
        if a.check:
            if not out.exists() or out.read_bytes() != data:
                print("stale: inputs/%s" % name)
                stale += 1
        else:
            out.write_bytes(data)
            print("wrote inputs/%s (%s, %d bytes)" % (name, ENCODINGS[name][0], len(data)))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
