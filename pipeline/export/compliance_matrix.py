"""Plans × norms: the compliance matrix of a comparison, for compare.md, compare.html and compare.json.

Pure: takes the comparison's plans (letter, id and the outcomes of their check, graph.Plan.compliance,
kept in each plan's summary during extraction) and returns rows
(pipeline/compliance.py: compliance_matrix), Markdown lines or an HTML fragment. Plans of bodies
the norms do not govern (团委, 工会, 少先队) show as not checked, with the reason.
"""
from __future__ import annotations

import html
from typing import Any, Dict, List, Sequence

from ..compliance import OUTCOME_LABELS, compliance_matrix

NOT_CHECKED = "不检查"


def matrix_of(plans: Sequence[Any]) -> Dict[str, object]:
    """The matrix for comparison plans (objects with `letter`, `id`, `compliance`): rows keyed by letter,
    each row also naming the plan id."""
    matrix = compliance_matrix([(p.letter, p.compliance) for p in plans])
    for row, p in zip(matrix["rows"], plans):
        row["id"] = p.id
    return matrix


def _md(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def matrix_markdown(plans: Sequence[Any]) -> List[str]:
    """`## 对照检查（plans × norms）` with one row per plan, one column per norm, as Markdown lines."""
    m = matrix_of(plans)
    out = ["## 对照检查（plans × norms）", "",
           "符合 = 承诺不少于规定（按每年次数比较）· 偏低 = 少于规定 · 未量化 = 提到但无次数 · 未提及 = 计划未提; "
           "团委、工会、少先队等的计划不对照党支部工作的规定检查。", ""]
    practices = list(m["practices"])
    if not m["rows"]:
        return out + ["(no plans)", ""]
    out.append("| plan | " + " | ".join(_md(p) for p in practices) + " |" if practices else "| plan | |")
    out.append("|---|" + "|".join("---" for _ in practices or [""]) + "|")
    for row in m["rows"]:
        if not row["checked"]:
            cells = [f"{NOT_CHECKED}（{row['organisation']}）"] + [""] * max(0, len(practices) - 1)
        else:
            cells = [OUTCOME_LABELS.get(row["cells"].get(p, ""), "") for p in practices]
        out.append(f"| {_md(row['plan'])} | " + " | ".join(_md(c) for c in cells) + " |")
    return out + [""]


CELL_CLASSES = {"meets": "ok", "weaker": "vague", "vague": "vague", "missing": "miss"}


def matrix_html(plans: Sequence[Any]) -> str:
    """The matrix as an HTML fragment (heading, legend, table); every text escaped."""
    m = matrix_of(plans)
    practices = list(m["practices"])
    e = html.escape
    parts = ["<style>td.ok{color:#070}</style><h2>对照检查（plans × norms）</h2>",
             '<p class="small">符合 = 承诺不少于规定 · 偏低 = 少于规定 · 未量化 = 提到但无次数 · 未提及 = 计划未提；'
             "团委、工会、少先队等的计划不检查。</p>",
             "<table><thead><tr><th>plan</th>" + "".join(f"<th>{e(p)}</th>" for p in practices) + "</tr></thead><tbody>"]
    for row in m["rows"]:
        cells = f"<td>{e(row['plan'])}</td>"
        if not row["checked"]:
            cells += f'<td colspan="{max(1, len(practices))}" title="{e(row["reason"])}">{NOT_CHECKED}（{e(row["organisation"])}）</td>'
        else:
            for p in practices:
                outcome = row["cells"].get(p, "")
                tip = row["plan_text"].get(p, "")
                cells += (f'<td class="{CELL_CLASSES.get(outcome, "")}" title="{e(tip)}">'
                          f"{e(OUTCOME_LABELS.get(outcome, ''))}</td>")
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)
