"""Ingest bench: time to read a ~50-page PDF and a ~50-page .docx, generated into a temp folder.

    python bench/bench_ingest.py [--pages 50] [--repeat 3]

Both hold the same plan (the .docx with Word numbering); prints pages, characters
and lines read, the best wall time of each reader, and whether it read the text as typed.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest.docx import int_to_chinese, read_docx  # noqa: E402
from pipeline.ingest.pdf import read_pdf  # noqa: E402

_spec = importlib.util.spec_from_file_location("fixture_builders", ROOT / "tests" / "fixtures" / "builders.py")
builders = importlib.util.module_from_spec(_spec)
sys.modules["fixture_builders"] = builders
_spec.loader.exec_module(builders)

CHINESE_OUTLINE = (builders.Level("chineseCounting", "%1、"), builders.Level("chineseCounting", "（%2）"),
                   builders.Level("decimal", "%3."))
PARAGRAPHS_PER_PAGE = 11  # ~100-character paragraphs and headings at 12 pt on A4


def source_text() -> str:
    seeds = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
    text = "".join(p.read_text(encoding="utf-8") for p in seeds if not p.name.endswith(".pdf.txt"))
    return "".join(text.split()) or "坚持以政治建设为统领，以提升组织力为重点。" * 100


def plan_items(pages: int):
    """(ilvl or None, text) items filling about `pages` pages."""
    text = source_text()
    items = []
    for index in range(pages * PARAGRAPHS_PER_PAGE):
        start = (index * 131) % max(len(text) - 200, 1)
        if index % 6 == 0:
            items.append((0 if index % 36 == 0 else 1 if index % 12 == 0 else 2, text[start:start + 14]))
        items.append((None, text[start:start + 60 + (index * 17) % 80]))
    return items


def make_docx(path: Path, pages: int) -> Path:
    builder = builders.DocxBuilder()
    num = builder.add_list(CHINESE_OUTLINE)
    for ilvl, text in plan_items(pages):
        builder.paragraph(text, num=(num, ilvl) if ilvl is not None else None)
    return builder.save(path)


def typed_lines(pages: int):
    """The plan's lines with labels typed, as the .docx reads once its numbering is rebuilt."""
    counters = [0, 0, 0]
    lines = []
    for ilvl, text in plan_items(pages):
        if ilvl is None:
            lines.append(text)
            continue
        counters[ilvl] += 1
        counters[ilvl + 1:] = [0] * (2 - ilvl)
        n = counters[ilvl]
        label = (f"{int_to_chinese(n)}、", f"（{int_to_chinese(n)}）", f"{n}.")[ilvl]
        lines.append(label + text)
    return lines


def make_pdf(path: Path, pages: int) -> Path:
    blocks = [builders.PdfBlock(line, bold=ilvl is not None) for line, (ilvl, _) in
              zip(typed_lines(pages), plan_items(pages))]
    return builders.write_pdf(blocks, path, header="学校党建工作资料汇编")


def best_time(read, path: Path, repeat: int):
    best, source = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        source = read(path)
        best = min(best, time.perf_counter() - start)
    return best, source


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import pdfplumber

    with tempfile.TemporaryDirectory(prefix="planlens-bench-") as folder:
        pdf_path = make_pdf(Path(folder) / "plan.pdf", args.pages)
        docx_path = make_docx(Path(folder) / "plan.docx", args.pages)
        with pdfplumber.open(str(pdf_path)) as pdf:
            pdf_pages = len(pdf.pages)
        expected = "\n".join(typed_lines(args.pages))
        for name, read, path in (("pdf", read_pdf, pdf_path), ("docx", read_docx, docx_path)):
            seconds, source = best_time(read, path, args.repeat)
            lines = source.text.count("\n") + 1
            same = "yes" if source.text == expected else "NO"
            print(f"{name:5s} {pdf_pages:>4d} pages {len(source.text):>8d} chars {lines:>6d} lines "
                  f"{seconds:7.3f} s  ({seconds / pdf_pages * 1000:5.1f} ms/page)  text as typed: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
