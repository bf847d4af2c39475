#!/usr/bin/env python3
"""Quality gate: score `planlens extract` on the seeds and the dev set against pinned floors.

For each set it runs `python -m pipeline extract FILE --format json` on every input that has a
gold file, writes the JSON to a temp folder, runs the shared scorer (`<shared>/eval/score.py`)
and compares the totals with the floors in scripts/quality_floors.json. Exit 1 when any metric
is below its floor (or a set with floors cannot be measured), else 0.

  seeds   corpus/NAME.*                       gold: <shared>/eval/gold/NAME.json
  devset  tests/devset/inputs/NAME.*          gold: tests/devset/gold/NAME.json   (skipped while absent)
  real    <shared>/eval/real/inputs/NAME.*    gold: <shared>/eval/real/gold/NAME.json
          (real pages, read in place and never copied; skipped with a message where absent)

Floors are raised when beaten and never lowered quietly: `--update` raises every floor to the
current value rounded down to 2 decimals and never lowers one. Lowering a floor is a hand edit
of quality_floors.json whose reason goes in the commit message.

    python scripts/quality_gate.py [--shared ../shared] [--update]
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_FLOORS = Path(__file__).resolve().parent / "quality_floors.json"
# The totals a floor may be pinned on (score.py prints more; these are the quality measures).
PINNED_METRICS = ("heading_f1", "heading_unlevelled_f1", "commit_f1", "commit_attr_acc",
                  "measure_recall", "doc_count_acc", "doc_title_recall")
EXTRACT_TIMEOUT_S = 300


@dataclass
class EvalSet:
    """One scored set: its name, the inputs that have gold, and where their gold lives."""

    name: str
    gold_dir: Path
    pairs: List[Tuple[Path, Path]] = field(default_factory=list)  # (input, gold)
    notes: List[str] = field(default_factory=list)
    optional: bool = False  # absent folders skip the set (and its floors) with a message


def find_pairs(name: str, input_dir: Path, gold_dir: Path) -> EvalSet:
    """Inputs of `input_dir` whose stem has `gold_dir/STEM.json`; golds without an input are noted."""
    found = EvalSet(name, gold_dir)
    if not input_dir.is_dir() or not gold_dir.is_dir():
        missing = input_dir if not input_dir.is_dir() else gold_dir
        found.notes.append(f"{missing} does not exist")
        return found
    inputs: Dict[str, Path] = {}
    for path in sorted(p for p in input_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.stem in inputs:
            found.notes.append(f"two inputs named {path.stem}.*: scoring {inputs[path.stem].name}, "
                               f"not {path.name}")
            continue
        inputs[path.stem] = path
    for gold in sorted(gold_dir.glob("*.json")):
        if gold.stem in inputs:
            found.pairs.append((inputs[gold.stem], gold))
        else:
            found.notes.append(f"gold {gold.name} has no input in {input_dir.relative_to(REPO_ROOT)}/")
    return found


def extract_to(inputs: List[Path], pred_dir: Path) -> List[str]:
    """Run `python -m pipeline extract FILE... --format json -o pred_dir` once for all inputs.

    The command writes pred_dir/STEM.json per input it could read. Returns one line per
    input without an output (the stderr line naming it, else the command's first line).
    """
    if not inputs:
        return []
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "--format", "json",
                           "-o", str(pred_dir)], cwd=REPO_ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=EXTRACT_TIMEOUT_S * max(1, len(inputs) // 10))
    errors = done.stderr.strip().splitlines()
    failures = []
    for path in inputs:
        if (pred_dir / f"{path.stem}.json").is_file():
            continue
        said = [line for line in errors if str(path) in line] or errors[:1] or ["no output"]
        failures.append(f"{path.name}: exit {done.returncode}: {said[0]}")
    return failures


def parse_totals(score_output: str) -> Dict[str, float]:
    """The KEY=VALUE totals of the scorer's last line (a leading 'FAIL … |' part is skipped)."""
    last = score_output.strip().splitlines()[-1]
    last = last.split(" | ", 1)[-1]
    totals = {}
    for item in last.split():
        key, _, value = item.partition("=")
        totals[key] = float(value)
    return totals


def score_set(eval_set: EvalSet, scorer: Path) -> Tuple[Optional[Dict[str, float]], str]:
    """Extract and score one set; (totals, printable report). Totals are None when nothing can be scored."""
    if not eval_set.pairs:
        return None, "no inputs with gold yet: skipped"
    with tempfile.TemporaryDirectory(prefix=f"planlens-gate-{eval_set.name}-") as tmp:
        gold_dir, pred_dir = Path(tmp) / "gold", Path(tmp) / "pred"
        gold_dir.mkdir()
        pred_dir.mkdir()
        for _, gold in eval_set.pairs:
            shutil.copy2(gold, gold_dir / gold.name)  # score only the golds whose input is here
        failures = extract_to([path for path, _ in eval_set.pairs], pred_dir)
        done = subprocess.run([sys.executable, str(scorer), "--gold", str(gold_dir), "--pred", str(pred_dir)],
                              capture_output=True, text=True, encoding="utf-8", timeout=EXTRACT_TIMEOUT_S)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"quality_gate: {scorer} failed (exit {done.returncode}): {done.stderr.strip()}")
    rows = done.stdout.rstrip().splitlines()[:-1]  # per-file rows; the totals line is shown with floors
    report = [f"extract failed on {line}" for line in failures] + rows
    return parse_totals(done.stdout), "\n".join(report)


def round_down(value: float) -> float:
    """`value` rounded down to 2 decimals (0.979 -> 0.97; 1.0 stays 1.0)."""
    return math.floor(value * 100 + 1e-9) / 100


def is_vacuous(metric: str, totals: Dict[str, float]) -> bool:
    """True when a metric's value says nothing yet (attribute accuracy over zero matched commitments)."""
    return metric == "commit_attr_acc" and totals.get("commit_f1", 0.0) == 0.0


def check_floors(name: str, totals: Optional[Dict[str, float]], floors: Dict[str, float]) -> List[str]:
    """One line per floor that `totals` misses (a set with floors but no totals misses them all)."""
    if totals is None:
        return [f"{name}: floors are pinned but the set could not be scored"] if floors else []
    return [f"{name}: {metric} = {totals.get(metric, 0.0):.3f} is below its floor {floor:.2f}"
            for metric, floor in sorted(floors.items()) if totals.get(metric, 0.0) < floor]


def raised_floors(totals: Dict[str, float], floors: Dict[str, float]) -> Dict[str, float]:
    """`floors` with every pinned metric raised to its current value rounded down; none lowered."""
    out = dict(floors)
    for metric in PINNED_METRICS:
        if metric not in totals or is_vacuous(metric, totals):
            continue
        now = round_down(totals[metric])
        if metric not in out or now > out[metric]:
            out[metric] = now
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared folder holding eval/score.py and eval/gold/ (default: ../shared)")
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="floors file (default: %(default)s)")
    parser.add_argument("--update", action="store_true",
                        help="raise floors to the current values (rounded down to 2 decimals); never lowers")
    args = parser.parse_args(argv)

    scorer = args.shared / "eval" / "score.py"
    if not scorer.is_file():
        parser.error(f"no scorer at {scorer} (use --shared DIR)")
    floors_file = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.exists() else {}
    sets = [
        find_pairs("seeds", REPO_ROOT / "corpus", args.shared / "eval" / "gold"),
        find_pairs("devset", REPO_ROOT / "tests" / "devset" / "inputs", REPO_ROOT / "tests" / "devset" / "gold"),
        find_pairs("real", args.shared / "eval" / "real" / "inputs", args.shared / "eval" / "real" / "gold"),
    ]
    sets[-1].optional = True

    failures: List[str] = []
    new_floors = {name: (dict(values) if isinstance(values, dict) else values)
                  for name, values in floors_file.items()}
    for eval_set in sets:
        floors = floors_file.get(eval_set.name, {})
        if eval_set.optional and not eval_set.pairs:
            print(f"== {eval_set.name}: skipped ({'; '.join(eval_set.notes) or 'no inputs with gold'})")
            continue
        totals, report = score_set(eval_set, scorer)
        print(f"== {eval_set.name}: {len(eval_set.pairs)} file(s) with gold")
        for note in eval_set.notes:
            print(f"   note: {note}")
        for line in report.splitlines():
            print(f"   {line}")
        failures += check_floors(eval_set.name, totals, floors)
        if totals is not None:
            shown = " ".join(f"{m}={totals[m]:.3f}" + (f" (floor {floors[m]:.2f})" if m in floors else "")
                             for m in PINNED_METRICS if m in totals)
            print(f"   totals: {shown}")
            if not floors and not args.update:
                print(f"   warning: no floors pinned for {eval_set.name}; run with --update to pin them")
            if args.update:
                new_floors[eval_set.name] = raised_floors(totals, floors)

    if args.update:
        changes = [f"{name}.{metric}: {floors_file.get(name, {}).get(metric, '-')} -> {value:.2f}"
                   for name, values in new_floors.items() if isinstance(values, dict)
                   for metric, value in sorted(values.items()) if floors_file.get(name, {}).get(metric) != value]
        if changes:
            args.floors.write_text(json.dumps(new_floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print("floors raised: " + ("; ".join(changes) if changes else "none (no metric beat its floor)"))

    for line in failures:
        print(f"FAIL {line}")
    print("quality gate: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
