#!/usr/bin/env python3
"""Robustness of extraction to the forms real pages take: the real development pages, each
rewritten in one such form, scored against their own gold (rewritten alike where needed).

The pages are read from <shared>/eval/real in place; the rewritten copies go to a temporary
folder that is removed afterwards (nothing is copied into the repository). Each variant
changes only the page's form, never its words, so the gold still holds:

  orig      the page as it is
  spaced    every line break replaced by two spaces (pages flattened by a scraper)
  oneline   every line break removed (the whole plan on one line, nothing between)
  blank     a blank line after every line
  indent    every line indented with two full-width spaces
  crlf      Windows line ends
  menu      site menus, a breadcrumb and a byline before the page, "上一篇/下一篇" after it
  wrap38    every line hard-wrapped at 38 characters (PDF and fixed-width copies)
  trad      converted to traditional characters with OpenCC s2t (gold titles, labels and
            units converted the same way)

Prints one line of totals per variant (score.py's KEY=VALUE) and, with --worst N, the N
pages that lose most heading F1 against `orig`. A measurement, not a gate: it shows which
forms a rule generalises to before the hidden pages do.

    python scripts/robustness.py [--shared ../shared] [--variants spaced,trad] [--worst 5]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Dict, List

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"


def _wrap(text: str, width: int = 38) -> str:
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


def _traditional(text: str) -> str:
    import opencc
    return opencc.OpenCC("s2t").convert(text)


MENU_BEFORE = "首页 > 党建工作 > 工作计划\n当前位置：首页 » 范文大全\n发布时间：2023-03-01 10:22  浏览次数：328\n"
MENU_AFTER = "\n上一篇：学校工作总结\n下一篇：教师培训方案\n"

VARIANTS: Dict[str, Callable[[str], str]] = {
    "orig": lambda t: t,
    "spaced": lambda t: re.sub(r"\s*\n\s*", "  ", t),
    "oneline": lambda t: re.sub(r"\s*\n\s*", "", t),
    "blank": lambda t: "\n\n".join(t.split("\n")),
    "indent": lambda t: "\n".join("\u3000\u3000" + l if l.strip() else l for l in t.split("\n")),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "menu": lambda t: MENU_BEFORE + t + MENU_AFTER,
    "wrap38": _wrap,
    "trad": _traditional,
}


def traditional_gold(gold: dict) -> dict:
    """Gold for the `trad` variant: titles, labels and units as OpenCC s2t writes them."""
    import opencc
    cc = opencc.OpenCC("s2t")
    for doc in gold.get("documents", []):
        if doc.get("title"):
            doc["title"] = cc.convert(doc["title"])
        for h in doc.get("headings", []):
            h["title"] = cc.convert(h.get("title") or "")
            h["label"] = cc.convert(h.get("label") or "")
        for c in doc.get("commitments", []):
            if c.get("unit"):
                c["unit"] = cc.convert(c["unit"])
    return gold


def score_variant(name: str, real: Path, scorer: Path, work: Path) -> Dict[str, object]:
    """Rewrite every real page as variant `name`, extract it, score it: {totals, per-page heading F1}."""
    folder = work / name
    inputs, gold, pred = folder / "inputs", folder / "gold", folder / "pred"
    for d in (inputs, gold, pred):
        d.mkdir(parents=True)
    for page in sorted((real / "inputs").glob("*.txt")):
        gold_file = real / "gold" / f"{page.stem}.json"
        if not gold_file.exists():
            continue
        (inputs / page.name).write_text(VARIANTS[name](page.read_text(encoding="utf-8")), encoding="utf-8",
                                        newline="")
        g = json.loads(gold_file.read_text(encoding="utf-8"))
        (gold / gold_file.name).write_text(json.dumps(traditional_gold(g) if name == "trad" else g,
                                                      ensure_ascii=False), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(inputs), "--format", "json", "-o", str(pred)],
                   cwd=REPO_ROOT, capture_output=True, check=False)
    out = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred)],
                         capture_output=True, text=True, check=False).stdout.strip().splitlines()
    if not out:
        raise SystemExit(f"{name}: the scorer printed nothing")
    pages = {}
    for line in out:
        parts = line.split()
        if len(parts) >= 2 and re.fullmatch(r"r?\w+", parts[0]) and re.fullmatch(r"\d\.\d{3}", parts[1]):
            pages[parts[0]] = float(parts[1])
    totals = dict(kv.split("=", 1) for kv in out[-1].split() if "=" in kv)
    return {"totals": totals, "pages": pages}


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated (default: all)")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages that lose most heading F1")
    args = parser.parse_args(argv)
    real, scorer = args.shared / "eval" / "real", args.shared / "eval" / "score.py"
    if not (real / "inputs").is_dir() or not scorer.exists():
        raise SystemExit(f"{real}: no real development pages here (give --shared)")
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    if args.worst and "orig" not in names:
        names.insert(0, "orig")
    work = Path(tempfile.mkdtemp(prefix="planlens-robustness-"))
    try:
        results = {}
        keys = ("heading_f1", "heading_unlevelled_f1", "commit_f1", "doc_count_acc", "doc_title_recall")
        print(f"{'variant':<9} " + " ".join(f"{k:>22}" for k in keys), flush=True)
        for name in names:
            results[name] = score_variant(name, real, scorer, work)
            t = results[name]["totals"]
            print(f"{name:<9} " + " ".join(f"{t.get(k, '-'):>22}" for k in keys), flush=True)
        if args.worst:
            base = results["orig"]["pages"]
            for name in names:
                if name == "orig":
                    continue
                loss = sorted(((base.get(p, 0.0) - f, p) for p, f in results[name]["pages"].items()), reverse=True)
                worst = ", ".join(f"{p} {base.get(p, 0.0):.2f}→{base.get(p, 0.0) - d:.2f}"
                                  for d, p in loss[:args.worst] if d > 0)
                print(f"{name}: {worst or 'no page loses'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
