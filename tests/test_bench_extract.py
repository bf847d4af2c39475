"""The extraction bench clears every text-keyed cache between files: a cache added to the
package must be listed in bench/bench_extract.py as text-keyed or per-process, or this fails."""
import functools
import importlib
import pkgutil
import sys
from pathlib import Path

import pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import bench_extract  # noqa: E402


def package_caches():
    found = set()
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, functools._lru_cache_wrapper) and value.__module__ == info.name:
                found.add(f"{info.name[len('pipeline.'):]}.{name}")
    return found


def test_every_cache_is_classified():
    listed = set(bench_extract.TEXT_KEYED) | set(bench_extract.PER_PROCESS)
    assert package_caches() == listed


def test_text_keyed_and_per_process_do_not_overlap():
    assert not set(bench_extract.TEXT_KEYED) & set(bench_extract.PER_PROCESS)


def test_per_text_caches_are_the_functions_and_clear():
    caches = bench_extract.per_text_caches()
    assert len(caches) == len(bench_extract.TEXT_KEYED)
    from pipeline.textutil import fold

    fold("计划")
    assert fold in caches
    for cache in caches:
        cache.cache_clear()
    assert fold.cache_info().currsize == 0
