"""One small cache: a function's value for the last object it was given, recognised by identity."""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_NOTHING = object()


def last_by_identity(fn: Callable[[K], V]) -> Callable[[K], V]:
    """`fn` with one remembered result: called with the same object as last time (`is`), the
    result it gave then; with any other object, `fn` again (and that one is remembered instead).

    For values made from a plan's sections, a norm set, a weights table or a lexicon and asked
    for many times in a row: such keys are large or unhashable, so an lru_cache would hash or
    compare them on every call, at more cost than a lookup saves. The key is held (it cannot be
    freed and its id reused while it is remembered); key and value are kept as one pair, so one
    thread never reads another key's value. `.cache_clear()` forgets the pair.
    """
    last = [(_NOTHING, None)]

    @functools.wraps(fn)
    def remembered(key):
        held, value = last[0]
        if held is key:
            return value
        value = fn(key)
        last[0] = (key, value)
        return value

    remembered.cache_clear = lambda: last.__setitem__(0, (_NOTHING, None))  # type: ignore[attr-defined]
    return remembered
