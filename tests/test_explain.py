"""--explain: each candidate heading with the decoder's decision and its score terms."""
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core import extract_text
from pipeline.explain import EXPLAINERS, explain_result, render_explanation

PLAN = "5.开展主题班会。\n6.评选优秀学生。\n四、工作要求\n1.周密组织。\n3.跳号一项。\n2.强化宣传。\n"


def test_explain_lists_every_candidate_with_its_decision():
    result = extract_text(PLAN)
    (doc, sections), = explain_result(result)
    outline = sections[0]
    assert outline.stage == "outline" and len(outline.lines) == 6
    assert outline.lines[0].startswith("L1 + level 2") and "mid_plan_start" in outline.lines[0]
    assert outline.lines[2].startswith("L3 + level 1") and "fill_virtual" in outline.lines[2]
    assert outline.lines[4].startswith("L5 - rejected") and "skip" in outline.lines[4]


def test_explain_sections_follow_the_stage_order():
    assert EXPLAINERS and all(callable(fn) for fn in EXPLAINERS)
    text = render_explanation(extract_text(PLAN))
    assert text.index("## document 1") < text.index("### outline")


def test_cli_extract_explain(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(plan), "--explain"])
    assert result.exit_code == 0
    assert "L4 + level 2  1.周密组织。" in result.output and "rejected" in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(plan), "--explain", "-o", str(out)])
    assert result.exit_code == 0 and (out / "p.explain.txt").read_text(encoding="utf-8").startswith("# ")


def test_explain_lists_every_number_kept_or_dropped_with_its_reason(tmp_path):
    from pipeline.core import extract_text
    from pipeline.explain import explain_result

    text = "东风小学党支部2026年工作计划\n一、组织生活\n支委会每月至少召开1次，是一项重要工作。\n二、學習\n每學期組織2次集中學習。\n"
    [(doc, sections)] = explain_result(extract_text(text))
    numbers = [s for s in sections if s.stage == "commitments"][0]
    kept = [line for line in numbers.lines if line.split()[1] == "kept"]
    dropped = [line for line in numbers.lines if line.split()[1] == "dropped"]
    assert len(kept) == len(doc.commitments) == 2
    assert any("每學期組織2次" in line for line in kept)  # shown as written, read through the shadow
    assert any("一项" in line and "article" in line for line in dropped)
