"""memo.last_by_identity: one remembered result, recognised by the key's identity."""
import threading

from pipeline.memo import last_by_identity


def counted():
    calls = []

    @last_by_identity
    def size(items):
        """How many items."""
        calls.append(items)
        return len(items)

    return size, calls


def test_the_same_object_is_served_and_another_recomputed():
    size, calls = counted()
    a = [1, 2, 3]
    assert size(a) == 3 and size(a) == 3
    assert len(calls) == 1
    b = [1, 2, 3]  # equal, not the same: recomputed (a list may have changed since)
    assert size(b) == 3
    assert len(calls) == 2
    a.append(4)
    assert size(a) == 4  # a is no longer the last key
    assert len(calls) == 3


def test_only_the_last_key_is_kept_and_clear_forgets_it():
    size, calls = counted()
    a, b = (1,), (1, 2)
    size(a), size(b), size(a)
    assert len(calls) == 3
    size.cache_clear()
    size(a)
    assert len(calls) == 4


def test_wraps_the_function():
    size, _ = counted()
    assert size.__name__ == "size" and size.__doc__ == "How many items."


def test_threads_never_read_another_keys_value():
    @last_by_identity
    def tag(key):
        return ("tag", id(key))

    keys = [object() for _ in range(8)]
    wrong = []

    def work(key):
        for _ in range(2000):
            if tag(key) != ("tag", id(key)):
                wrong.append(key)

    threads = [threading.Thread(target=work, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong
