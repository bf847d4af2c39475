"""The comparison at many plans: k nearest plans from sparse products equal brute force, full
matrices only for small sets, outputs that grow linearly, the same bytes for any number of workers,
per-practice distributions, and compare.json matching its JSON Schema."""
import dataclasses
import json
import random
from collections import Counter
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from pipeline import graph
from pipeline.core import extract_file
from pipeline.export.compare import (OUTPUT_NAMES, comparison_of_results, comparison_to_dict, comparison_to_json,
                                     render_comparison)
from pipeline.graph import MeasureSummary, Plan, compare, letter_for, measure_stats, similarities

PRACTICES = [("三会一课", "组织生活"), ("主题党日", "组织生活"), ("支部委员会", "组织生活"), ("党课", "组织生活"),
             ("谈心谈话", "组织生活"), ("组织生活会", "组织生活"), ("发展党员", "组织建设"), ("志愿服务", "服务"),
             ("师德师风建设", "师德"), ("廉洁教育", "党风廉政"), ("集中学习", "学习"), ("党务公开", "制度")]


def synthetic_plans(n, seed=1):
    """n Plans with random practices, commitments and term counts (no text, no extraction)."""
    rnd = random.Random(seed)
    vocab = [f"术语{i:03d}" for i in range(300)]
    out = []
    for i in range(n):
        measures = []
        for name, category in rnd.sample(PRACTICES, rnd.randint(0, 7)):
            k = rnd.randint(1, 3)
            firm = rnd.random() < 0.5
            measures.append(MeasureSummary(name, category, rnd.randint(1, 4), (f"每月≥{k}次",) if firm else (),
                                           12.0 * k if firm else None, "[]"))
        words = Counter(rnd.choices(vocab[: 50 + i % 250], k=rnd.randint(0, 60)))
        out.append(Plan(id=f"p{i:05d}.txt#0", letter=letter_for(i), source=f"p{i:05d}.txt", index=0,
                        title=f"计划{i}", commitments=sum(bool(m.committed) for m in measures),
                        measures=tuple(measures), phrases=("红旗工程",) if i % 7 == 0 else (),
                        terms=tuple(sorted(words.items()))))
    return tuple(out)


def brute_top(row, i, k):
    order = sorted((j for j, x in enumerate(row) if j != i and x > 0), key=lambda j: (-row[j], j))
    return tuple((j, row[j]) for j in order[:k])


@pytest.mark.parametrize("n,k", [(7, 3), (300, 5), (530, 10)])
def test_top_k_from_row_blocks_equals_brute_force(n, k):
    plans = synthetic_plans(n)
    jac_top, cos_top, jac, cos = similarities(plans, k=k, full=True)
    assert len(jac_top) == len(cos_top) == n
    for i in range(n):
        assert jac_top[i] == brute_top(jac[i], i, k)
        assert cos_top[i] == brute_top(cos[i], i, k)
    assert all(jac[i][i] == 1.0 for i in range(n))
    assert all(cos[i][j] == cos[j][i] for i in range(0, n, 37) for j in range(n))


def test_worker_processes_give_the_same_similarities():
    plans = synthetic_plans(600)  # three row blocks
    assert similarities(plans, k=4, workers=2) == similarities(plans, k=4, workers=1)


def test_comparison_bytes_do_not_depend_on_workers(monkeypatch):
    monkeypatch.setattr(graph, "PARALLEL_MIN_PLANS", 50)
    plans = synthetic_plans(400)
    one, two = compare(plans, workers=1), compare(plans, workers=2)
    assert render_comparison(one) == render_comparison(two)


def test_pruned_vectors_keep_the_heaviest_terms(monkeypatch):
    plans = synthetic_plans(300)
    monkeypatch.setattr(graph, "EXACT_MAX_PLANS", 100)
    c = compare(plans)
    assert (c.method, c.cosine_terms) == ("pruned", graph.PRUNED_TERMS)
    vectors = graph.tfidf_vectors(graph.term_matrix_of(plans), 5)
    assert max(vectors.getnnz(axis=1)) == 5


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("pipeline").joinpath("schema/compare.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator, data):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_many_plans_have_neighbours_not_matrices(validator):
    plans = synthetic_plans(graph.FULL_MAX_PLANS + 1)
    c = compare(plans, top_k=4)
    data = json.loads(comparison_to_json(c))
    assert errors(validator, data) == []
    assert data["matrix"] is None and data["similarity"]["jaccard"] is None and data["similarity"]["plans"] is None
    assert data["counts"] == {"plans": 201, "files": 201, "measures": 12, "full_max_plans": 200, "full": False}
    assert all(len(x["jaccard"]) <= 4 and len(x["tfidf_cosine"]) <= 4 for x in data["similarity"]["nearest"])
    assert data == comparison_to_dict(c)  # the streamed text is the dict, serialised


def test_no_edge_joins_two_plans():
    c = compare(synthetic_plans(250))
    kinds = Counter((a.split(":")[0], b.split(":")[0], d["kind"]) for a, b, d in graph.graph_edges(c))
    assert set(kinds) == {("plan", "measure", "names"), ("measure", "measure", "co-occurs")}
    assert kinds["plan", "measure", "names"] == sum(len(p.measures) for p in c.plans)


def test_outputs_grow_linearly_with_plans():
    small, big = (render_comparison(compare(synthetic_plans(n))) for n in (300, 1200))
    for name in OUTPUT_NAMES:
        if name != "compare.html":  # its drawing has a fixed size
            assert len(big[name]) <= 4.4 * len(small[name]), name


def test_seed_compare_json_matches_the_schema(validator, seed_paths):
    c = comparison_of_results([extract_file(p) for p in seed_paths])
    data = json.loads(comparison_to_json(c))
    assert errors(validator, data) == []
    assert data["counts"]["full"] is True and len(data["similarity"]["jaccard"]) == 6
    near = {x["plan"]: x for x in data["similarity"]["nearest"]}
    row = data["similarity"]["tfidf_cosine"][0]
    best = max(range(1, 6), key=lambda j: (row[j], -j))
    assert near["A"]["tfidf_cosine"][0] == {"plan": data["plans"][best]["letter"], "score": row[best]}


BROKEN = [
    pytest.param(("similarity", "method"), "all-pairs", id="unknown-method"),
    pytest.param(("measures", 0, "committed", "plans"), "3", id="count-as-string"),
    pytest.param(("similarity", "nearest", 0, "jaccard", 0, "plan"), "b", id="lower-case-letter"),
    pytest.param(("side_by_side", 0, "cells", "A"), "", id="empty-cell"),
    pytest.param(("counts", "extra"), 1, id="unknown-counts-field"),
]


@pytest.mark.parametrize("path,value", BROKEN)
def test_broken_compare_json_fails(validator, path, value):
    data = json.loads(comparison_to_json(compare(synthetic_plans(12))))
    assert errors(validator, data) == []
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(validator, data) != []


# --- aggregates per practice ------------------------------------------------------------

def plan(i, *measures):
    return Plan(id=f"x{i}.txt#0", letter=letter_for(i), source=f"x{i}.txt", index=0, title="", commitments=0,
                measures=tuple(measures))


def ms(name, committed=(), per_year=None, count=1):
    return MeasureSummary(name, "组织生活", count, tuple(committed), per_year, "[]")


def test_distribution_of_commitments_per_practice():
    plans = (plan(0, ms("党课", ["每年≥4次"], 4.0)), plan(1, ms("党课", ["每季度≥1次"], 4.0)),
             plan(2, ms("党课", ["每年≥4次", "每学期≥2次"], 4.0)), plan(3, ms("党课")),
             plan(4, ms("主题党日", ["每月≥1次"], 12.0, count=3)))
    stats = {s.name: s for s in measure_stats(plans)}
    lesson = stats["党课"]
    assert (lesson.plans, lesson.plan_count, lesson.committed_plans) == ((0, 1, 2, 3), 4, 3)
    assert lesson.values == (("每年≥4次", 2), ("每季度≥1次", 1), ("每学期≥2次", 1))  # ties by reading
    assert lesson.per_year == (3, 4.0, 4.0, 4.0)
    assert lesson.cells == ("每年≥4次", "每季度≥1次", "每年≥4次、每学期≥2次", graph.NO_NUMBER)
    assert stats["主题党日"].mention_count == 3 and stats["主题党日"].per_year == (1, 12.0, 12.0, 12.0)
    assert [s.name for s in measure_stats(plans)] == ["党课", "主题党日"]


def test_median_of_an_even_number_of_plans():
    plans = tuple(plan(i, ms("党课", [f"每年≥{v}次"], float(v))) for i, v in enumerate((2, 8, 4, 6)))
    assert measure_stats(plans)[0].per_year == (4, 2.0, 5.0, 8.0)


# --- compact plans, sparse marks, bounded blocks ------------------------------------------

def collected(plans):
    """A PlanCollector fed `plans` in reverse order (it sorts them by id)."""
    collector = graph.PlanCollector()
    for p in reversed(plans):
        collector.add(p.id, p.source, graph.PlanSummary(p.index, p.title, p.commitments, p.measures, p.terms,
                                                        p.phrases))
    return collector


def test_collected_plans_read_like_the_plans_they_came_from():
    plans = synthetic_plans(60)
    shelf = collected(plans).plans()
    bare = tuple(dataclasses.replace(p, terms=()) for p in plans)
    assert isinstance(shelf, graph.PlanShelf) and len(shelf) == 60
    assert shelf == bare and tuple(shelf) == bare
    assert shelf[-1] == bare[-1] and shelf[3:6] == bare[3:6] and shelf[59].letter == letter_for(59)
    assert list(shelf.sources()) == [p.source for p in plans]


def test_a_collected_comparison_is_the_comparison_of_its_plans():
    plans = synthetic_plans(120)
    collector = collected(plans)
    assert render_comparison(compare(collector.plans(), collector.term_matrix(), 5)) == \
        render_comparison(compare(plans, top_k=5))


def test_practice_marks_are_one_per_plan_and_practice_named():
    plans = (plan(0, ms("党课"), ms("党课"), ms("主题党日")), plan(1), plan(2, ms("主题党日")))
    marks, names = graph.practice_marks(plans)
    assert names == ("主题党日", "党课")
    assert marks.toarray().tolist() == [[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    assert graph.cooccurrence(plans) == (("主题党日", "党课", 1),)


@pytest.mark.parametrize("n", [1, 15, 256, 257, 3999, 4000, 10_000, 123_457])
def test_row_blocks_cover_the_plans_within_the_cell_budget(n):
    blocks = graph.row_blocks(n)
    assert blocks[0][0] == 0 and blocks[-1][1] == n
    assert all(a == b for (_, a), (b, _) in zip(blocks, blocks[1:]))
    rows = max(b - a for a, b in blocks)
    assert rows <= graph.CHUNK_ROWS and (rows <= 16 or rows * n <= graph.BLOCK_CELLS)


def test_top_k_does_not_depend_on_the_block_size(monkeypatch):
    plans = synthetic_plans(300)
    wide = similarities(plans, k=5)
    monkeypatch.setattr(graph, "BLOCK_CELLS", 300 * 20)  # blocks of 20 rows
    assert len(graph.row_blocks(300)) == 15
    assert similarities(plans, k=5) == wide


def test_the_fork_pool_gives_the_collector_back_to_gc():
    import gc
    before = gc.get_freeze_count()
    with graph.fork_pool(1) as pool:
        assert pool.submit(sum, (1, 2)).result() == 3
        assert gc.get_freeze_count() >= before
    assert gc.get_freeze_count() == before
