"""`record`: a frozen dataclass whose instances are cheap to make.

A frozen dataclass's generated `__init__` sets every field through
`object.__setattr__` (the class's own `__setattr__` refuses), about 0.3 µs a field.
The stages make such records by the hundred thousand (lines, labels, candidates,
sections, commitments, tasks), so `record` gives the class an `__init__` that
writes the fields straight into the instance's `__dict__`: four times faster for
ten fields. Everything else is the dataclass's own: fields, defaults, equality,
hash, repr, ordering, `dataclasses.replace`, pickling, and the refusal to assign
a field afterwards (`dataclasses.FrozenInstanceError`).

A class that needs what the plain `__init__` gives beyond setting fields
(`__post_init__`, `default_factory`, `init=False`, keyword-only fields, slots)
is refused, so that the faster `__init__` never means something else.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, Type, TypeVar

try:
    from typing import dataclass_transform
except ImportError:  # Python < 3.11: the decorator only tells type checkers
    def dataclass_transform(**_kwargs):  # type: ignore[no-redef]
        return lambda decorator: decorator

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: Type[T]) -> Type[T]:
    """`cls` made a frozen dataclass (`dataclass(frozen=True)`) with the direct `__init__`
    described above; raises TypeError for a class that needs the plain one."""
    made = dataclasses.dataclass(frozen=True)(cls)
    made.__init__ = _direct_init(made)
    return made


def _direct_init(cls: type):
    fields = dataclasses.fields(cls)
    needs_plain = [f.name for f in fields if not f.init or f.kw_only
                   or f.default_factory is not dataclasses.MISSING]
    if needs_plain or hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        raise TypeError(f"record {cls.__name__}: needs the plain dataclass __init__ "
                        f"({', '.join(needs_plain) or '__post_init__ or slots'})")
    defaults: Dict[str, Any] = {}
    params, body = [], []
    for i, f in enumerate(fields):
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
        body.append(f"    _instance_dict[{f.name!r}] = {f.name}")
    source = (f"def __init__(self, {', '.join(params)}):\n"
              "    _instance_dict = self.__dict__\n" + "\n".join(body or ["    pass"]) + "\n")
    namespace: Dict[str, Any] = {}
    exec(source, dict(defaults), namespace)  # noqa: S102 (source built from the class's own field names)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    return init
