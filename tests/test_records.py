"""pipeline.records.record: a frozen dataclass with a direct __init__, the same in every other way."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from typing import Optional, Tuple

import pytest

import pipeline
from pipeline.records import record


@record
class Sample:
    """A record like the stages' own: required fields, defaults, a tuple default."""

    text: str
    start: int
    parts: Tuple[int, ...] = ()
    note: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Plain:
    text: str
    start: int
    parts: Tuple[int, ...] = ()
    note: Optional[str] = None


@pytest.mark.parametrize("args, kwargs", [
    (("一、总则", 0), {}),
    (("一、总则", 3, (1, 2)), {}),
    (("一、总则",), {"start": 4, "note": "x"}),
    ((), {"text": "", "start": 0, "parts": (0,), "note": None}),
])
def test_record_sets_what_the_dataclass_init_sets(args, kwargs):
    made, plain = Sample(*args, **kwargs), Plain(*args, **kwargs)
    assert vars(made) == vars(plain)
    assert repr(made) == repr(plain).replace("Plain", "Sample")
    assert made == Sample(*args, **kwargs) and hash(made) == hash(Sample(*args, **kwargs))


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),  # required fields missing
    (("a",), {}),
    (("a", 1, (), None, "extra"), {}),  # too many
    (("a", 1), {"nope": 1}),  # unknown keyword
    (("a", 1), {"text": "b"}),  # given twice
])
def test_record_refuses_the_calls_the_dataclass_refuses(args, kwargs):
    with pytest.raises(TypeError):
        Plain(*args, **kwargs)
    with pytest.raises(TypeError):
        Sample(*args, **kwargs)


def test_record_stays_frozen_replaceable_and_picklable():
    made = Sample("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 2
    assert dataclasses.replace(made, start=2) == Sample("a", 2)
    assert pickle.loads(pickle.dumps(made)) == made
    assert [f.name for f in dataclasses.fields(Sample)] == ["text", "start", "parts", "note"]


@pytest.mark.parametrize("body", [
    "x: int\n    def __post_init__(self): pass",
    "x: list = dataclasses.field(default_factory=list)",
    "x: int = dataclasses.field(default=0, init=False)",
    "x: int = dataclasses.field(default=0, kw_only=True)",
])
def test_record_refuses_classes_that_need_the_plain_init(body):
    namespace = {"dataclasses": dataclasses, "record": record}
    with pytest.raises(TypeError, match="plain dataclass __init__"):
        exec(f"@record\nclass Odd:\n    {body}\n", namespace)


def _package_records():
    found = {}
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.startswith("pipeline.server") or info.name.endswith("__main__"):
            continue  # the web app (its extra) and the entry point define no records
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            init = getattr(value, "__init__", None)
            if inspect.isclass(value) and value.__module__ == module.__name__ and \
                    "_instance_dict" in getattr(getattr(init, "__code__", None), "co_varnames", ()):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_package_records_take_their_fields_in_order():
    records = _package_records()
    assert {"pipeline.model.Line", "pipeline.model.Commitment", "pipeline.labels.Label"} <= set(records)
    for name, cls in records.items():
        fields = dataclasses.fields(cls)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert [p.name for p in params] == [f.name for f in fields], name
        assert [p.default for p in params] == [inspect.Parameter.empty if f.default is dataclasses.MISSING
                                              else f.default for f in fields], name
