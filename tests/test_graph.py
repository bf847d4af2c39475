"""Graph stage: plans → networkx graph (stable ids, scalar attributes) and the comparisons read from it."""
import doctest
import json
from decimal import Decimal

import networkx as nx
import pytest

from pipeline import graph
from pipeline.core import extract_file
from pipeline.graph import (build_graph, commitment_short, compare, jaccard_matrix, letter_for, make_plans,
                            measure_betweenness, measure_spread, plan_gaps, plans_from_results, side_by_side,
                            spring_layout, tfidf_cosine_matrix)
from pipeline.measures import find_measures
from pipeline.model import Commitment, Document
from pipeline.outline import outline_text


def doc(text, title="", quotes=()):
    """A Document of `text` with its outline, the commitments over `quotes`, and its measures."""
    sections = outline_text(text)
    cs = []
    for quote, value, period in quotes:
        start = text.index(quote)
        cs.append(Commitment(value=value, value_max=None, unit="次", comparator=">=", period=period,
                             kind="frequency", quote=quote, span=(start, start + len(quote)),
                             sentence=quote, section_id=None, section_path=None))
    cs = tuple(cs)
    return Document(index=0, title=title, text=text, lines=(), sections=sections, commitments=cs,
                    measures=find_measures(text, sections, cs))


PLANS = {
    "a.txt#0": doc("支部委员会每月至少召开1次。开展主题党日。", "计划甲", [("每月至少召开1次", 1, "month")]),
    "b.txt#0": doc("支部委员会每月召开2次。开展主题党日和谈心谈话。", "计划乙", [("每月召开2次", 2, "month")]),
    "c.txt#0": doc("支部委员会按需召开。开展主题党日。", "计划丙"),
}


@pytest.fixture(scope="module")
def g():
    return build_graph(PLANS)


def test_nodes_are_sorted_with_kinds(g):
    ids = list(g.nodes)
    assert ids == ["plan:a.txt#0", "plan:b.txt#0", "plan:c.txt#0",
                   "measure:主题党日", "measure:支部委员会", "measure:谈心谈话"]
    assert [g.nodes[n]["kind"] for n in ids] == ["plan"] * 3 + ["measure"] * 3
    assert g.nodes["plan:a.txt#0"]["label"] == "计划甲" and g.nodes["plan:a.txt#0"]["letter"] == "A"
    assert g.nodes["measure:支部委员会"]["category"] == "组织生活"


def test_plan_measure_edges_carry_mentions_and_commitments(g):
    e = g.edges["plan:a.txt#0", "measure:支部委员会"]
    assert (e["kind"], e["weight"], e["summary"]) == ("names", 1, "每月≥1次")
    assert [c["quote"] for c in json.loads(e["commitments"])] == ["每月至少召开1次"]
    assert json.loads(g.edges["plan:c.txt#0", "measure:支部委员会"]["commitments"]) == []


def test_cooccurrence_edges_count_plans_and_invert_to_distance(g):
    e = g.edges["measure:主题党日", "measure:支部委员会"]
    assert (e["kind"], e["weight"], e["distance"]) == ("co-occurs", 3, round(1 / 3, 6))
    assert g.edges["measure:主题党日", "measure:谈心谈话"]["weight"] == 1


def test_every_attribute_is_a_scalar_so_graphml_takes_it(g):
    for _, d in list(g.nodes(data=True)) + [(None, d) for *_, d in g.edges(data=True)]:
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values())
    back = nx.parse_graphml("\n".join(nx.generate_graphml(g)))
    assert sorted(back.nodes) == sorted(g.nodes) and back.number_of_edges() == g.number_of_edges()


def test_weighted_betweenness_reads_inverted_weights():
    # 党课–主题党日 and 主题党日–谈心谈话 co-occur in 3 plans each, 党课–谈心谈话 in 1:
    # the strong path through 主题党日 is the short one once weights become distances.
    texts = ["开展党课和主题党日。"] * 3 + ["开展主题党日和谈心谈话。"] * 3 + ["开展党课和谈心谈话。"]
    plans = {f"p{i}.txt#0": doc(t) for i, t in enumerate(texts)}
    between = measure_betweenness(build_graph(plans))
    assert between["主题党日"] > 0 and between["党课"] == 0 and between["谈心谈话"] == 0


# --- comparisons ------------------------------------------------------------------------

def test_spread_and_jaccard():
    plans = make_plans(PLANS)
    spread = measure_spread(plans)
    assert spread.common == ("主题党日", "支部委员会")
    assert spread.most == () and spread.unique == (("谈心谈话", "B"),)
    jac = jaccard_matrix(plans)
    assert jac[0] == (1.0, round(2 / 3, 6), 1.0) and jac[1][2] == round(2 / 3, 6)


def test_tfidf_cosine_is_symmetric_with_unit_diagonal():
    plans = make_plans({"x#0": doc("严格落实三会一课制度，认真开展主题党日。"),
                        "y#0": doc("严格落实三会一课制度，认真开展主题党日。"),
                        "z#0": doc("加强校园安全隐患排查，做好应急演练。")})
    cos = tfidf_cosine_matrix(plans)
    assert [cos[i][i] for i in range(3)] == [1.0, 1.0, 1.0]
    assert cos[0][1] == 1.0 and cos[0][2] == cos[2][0] < 0.2


def test_side_by_side_cells():
    plans = make_plans(PLANS)
    assert side_by_side(plans) == (("支部委员会", ("每月≥1次", "每月≥2次", graph.NO_NUMBER)),)


def test_gaps_vague_and_omitted():
    plans = make_plans(dict(PLANS, **{"d.txt#0": doc("开展主题党日。", "计划丁")}))
    gaps = {(x.plan, x.measure, x.status) for x in plan_gaps(plans)}
    assert gaps == {("C", "支部委员会", "vague"), ("D", "支部委员会", "omitted")}


SHORTS = [
    pytest.param(1, None, "次", ">=", "month", "每月≥1次", id="monthly-at-least"),
    pytest.param(1, 2, "次", "=", "month", "每月1–2次", id="range"),
    pytest.param(Decimal("65"), None, "%", "~", None, "约65%", id="about-percent"),
    pytest.param(Decimal("0.5"), None, "天", "<=", "week", "每周≤0.5天", id="decimal"),
    pytest.param(4, None, "次", ">=", "year", "每年≥4次", id="year"),
]


@pytest.mark.parametrize("value,value_max,unit,comparator,period,expected", SHORTS)
def test_commitment_short(value, value_max, unit, comparator, period, expected):
    c = Commitment(value=value, value_max=value_max, unit=unit, comparator=comparator, period=period,
                   kind="frequency", quote="x", span=(0, 1), sentence="x", section_id=None, section_path=None)
    assert commitment_short(c) == expected


@pytest.mark.parametrize("i,expected", [(0, "A"), (5, "F"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_letter_for(i, expected):
    assert letter_for(i) == expected


def test_layout_is_deterministic_and_normalised(g):
    a, b = spring_layout(g, iterations=50), spring_layout(g, iterations=50)
    assert a == b and set(a) == set(g.nodes)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in a.values())


def test_doctests():
    assert doctest.testmod(graph).failed == 0


# --- from the seeds ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_graph(seed_paths):
    return build_graph(plans_from_results([extract_file(p) for p in seed_paths]))


def test_seed_graph_six_plans_sanhui_everywhere(seed_graph):
    plans = [n for n, d in seed_graph.nodes(data=True) if d["kind"] == "plan"]
    measures = [n for n, d in seed_graph.nodes(data=True) if d["kind"] == "measure"]
    assert len(plans) == 6 and len(measures) >= 25
    linked = {n for n in seed_graph["measure:三会一课"] if seed_graph.nodes[n]["kind"] == "plan"}
    assert linked == set(plans)


def test_seed_comparison_is_consistent(seed_graph, seed_paths):
    plans = plans_from_results([extract_file(p) for p in seed_paths])
    c = compare(plans)
    assert "三会一课" in c.spread.common
    assert len(c.matrix) == len(c.measures) and all(len(r) == 6 for r in c.matrix)
    assert all(c.jaccard[i][j] == c.jaccard[j][i] for i in range(6) for j in range(6))


@pytest.mark.parametrize("seed", range(12))
def test_betweenness_in_source_groups_equals_networkx_on_the_whole_graph(seed):
    import random

    import networkx as nx

    from pipeline import graph

    rnd = random.Random(seed)
    n = rnd.randint(3, 40)
    g = nx.relabel_nodes(nx.gnm_random_graph(n, rnd.randint(0, 3 * n), seed=seed), lambda i: f"p{i:02d}")
    for u, v in g.edges:
        g[u][v]["distance"] = round(1 / rnd.randint(1, 30), graph.ROUND)
    whole = nx.betweenness_centrality(g, weight="distance", normalized=True)
    assert graph._betweenness(g) == {k: round(v, graph.ROUND) for k, v in sorted(whole.items())}
