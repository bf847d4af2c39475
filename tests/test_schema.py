"""JSON Schema of the per-file JSON: valid draft 2020-12, matched by real outputs, strict on drift."""
import copy
import json
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from pipeline.core import extract_file, extract_text
from pipeline.export.json import result_to_dict
from pipeline.model import SCHEMA_VERSION, Commitment, Measure

REPO = Path(__file__).resolve().parent.parent
INPUTS = sorted([*(REPO / "corpus").glob("*.txt"), *(REPO / "tests" / "devset" / "inputs").iterdir(),
                 *(p for p in (REPO / "tests" / "fixtures" / "plans").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))])


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("pipeline").joinpath("schema/plan.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator, data):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_version_matches_the_model(validator):
    assert validator.schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_real_outputs_validate(validator, path):
    data = json.loads(json.dumps(result_to_dict(extract_file(path)), ensure_ascii=False))
    assert errors(validator, data) == []


def test_seed_outputs_carry_commitments_and_measures(validator, seed_paths):
    docs = [d for p in seed_paths for d in result_to_dict(extract_file(p))["documents"]]
    assert any(d["commitments"] for d in docs) and any(d["measures"] for d in docs)


def test_failed_file_validates(validator, tmp_path):
    assert errors(validator, result_to_dict(extract_file(tmp_path / "missing.txt"))) == []


def test_every_field_filled_validates(validator):
    """A record with every optional field set (decimal value, range, deadline, candidate measure)."""
    result = extract_text("2026年党建工作计划\n一、组织生活\n支部委员会每月召开1-2次。")
    doc = result.documents[0]
    c = Commitment(value=Decimal("1.5"), value_max=Decimal("2"), unit="小时", comparator="~", period="week",
                   kind="duration", quote="每月召开1-2次", span=(0, 3), sentence="s", section_id="s1",
                   section_path="一、", subject="支部委员会", verb="召开", deadline="到2026年底",
                   confidence=0.5, optional=True, raw_value="1.5")
    m = Measure(name="红心向党活动", category="候选", count=1, aliases_seen=("红心向党活动",), section_ids=("s1",),
                commitment_ids=(0,), candidate=True)
    data = result_to_dict(replace(result, documents=(replace(doc, commitments=(c,), measures=(m,)),)))
    assert errors(validator, json.loads(json.dumps(data))) == []


def _mutate(data, path, value):
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


DELETE = object()
BROKEN = [
    pytest.param(("documents", 0, "measures", 0, "name"), DELETE, id="measure-without-name"),
    pytest.param(("documents", 0, "measures", 0, "count"), "3", id="count-as-string"),
    pytest.param(("documents", 0, "commitments", 0, "period"), "monthly", id="unknown-period"),
    pytest.param(("documents", 0, "commitments", 0, "comparator"), "≥", id="unknown-comparator"),
    pytest.param(("documents", 0, "sections", 0, "level"), 0, id="level-zero"),
    pytest.param(("documents", 0, "sections", 0, "span"), [1, 2, 3], id="three-number-span"),
    pytest.param(("documents", 0, "extra"), 1, id="unknown-document-field"),
    pytest.param(("status",), "error", id="error-without-problems"),
]


@pytest.mark.parametrize("path,value", BROKEN)
def test_broken_outputs_fail(validator, seed_paths, path, value):
    data = result_to_dict(extract_file(seed_paths[-1]))
    assert errors(validator, data) == []
    assert errors(validator, _mutate(data, path, value)) != []
