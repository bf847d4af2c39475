"""core._relocate: a plan's lines joined into its text, each line moved to its offset there
and nothing else about it changed."""
import dataclasses

from pipeline.core import _relocate
from pipeline.model import Line, LineHint


def test_relocate_sets_offsets_and_keeps_every_other_field():
    hint = LineHint(heading_level=1, is_title=False, numbered=True)
    lines = (Line("一、总体要求", 40, 7, (2,), hint, "一、總體要求"),
             Line("全年不少于4次", 90, 20, (3, 4)))
    text, moved = _relocate(lines)
    assert text == "一、总体要求\n全年不少于4次"
    assert [l.start for l in moved] == [0, 7]
    for before, after in zip(lines, moved):
        assert dataclasses.replace(before, start=after.start) == after  # every field, present or future


def test_relocate_knows_every_field_of_line():
    # _relocate builds Line positionally; a field added to Line must be added there too
    assert [f.name for f in dataclasses.fields(Line)] == \
        ["text", "start", "source_start", "source_lines", "hint", "original"]


def test_prepare_loads_once_and_freezes_what_is_alive_then():
    """core.prepare extracts the warm-up plan and moves the loaded tables out of the collector's
    generations once per process; objects made later are collected as usual (a fresh process)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import gc
        from pipeline.core import prepare
        assert gc.get_freeze_count() == 0
        prepare()
        frozen = gc.get_freeze_count()
        assert frozen > 1000, frozen
        prepare()
        assert gc.get_freeze_count() <= frozen  # not frozen again (frozen objects freed leave it)
        class Cycle: pass
        a = Cycle(); a.me = a; del a
        assert gc.collect() > 0  # a cycle made after prepare is still found
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_prepare_leaves_no_per_process_table_for_the_first_files_to_build():
    """After core.prepare, extracting the corpus and the dev set builds no per-process table
    (bench/bench_extract.py PER_PROCESS): the warm-up plan reaches every one they need."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(root / "bench")!r})
        import bench_extract as bench
        from pipeline.core import extract_file, prepare
        caches = {{name: bench._cache(name) for name in bench.PER_PROCESS}}
        prepare()
        before = {{name: c.cache_info().currsize for name, c in caches.items()}}
        for path in bench.seed_files(None):
            extract_file(path)
        print(sorted(name for name, c in caches.items() if c.cache_info().currsize != before[name]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
