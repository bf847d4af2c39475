"""Writing outputs whole or not at all: temp file in the same folder, then os.replace.

Reads text/bytes from the caller; writes files. The only place exports touch disk.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import IO, Iterator, Union

from ..errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Union[str, Path], data: bytes) -> Path:
    """Write `data` to `path` atomically; raises OutputError (naming the path) on failure."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(str(target), f"cannot write ({exc.strerror or exc})") from exc
    return target


@contextmanager
def atomic_writer(path: Union[str, Path]) -> Iterator[IO[bytes]]:
    """A binary handle on a temp file beside `path`, moved onto `path` when the block ends without
    an error (else removed): for outputs written piece by piece. OutputError names the path."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(str(target), f"cannot write ({exc.strerror or exc})") from exc
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError(str(target), f"cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class _TextHandle:
    """UTF-8 text writes onto a binary handle, buffered."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw, self._parts, self._size = raw, [], 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self._raw.write("".join(self._parts).encode("utf-8"))
        self._parts, self._size = [], 0


@contextmanager
def atomic_text_writer(path: Union[str, Path]) -> Iterator[_TextHandle]:
    """`atomic_writer` for UTF-8 text: `handle.write(str)` as often as needed."""
    with atomic_writer(path) as raw:
        handle = _TextHandle(raw)
        yield handle
        handle.flush()


def write_text_atomic(path: Union[str, Path], text: str, bom: bool = False) -> Path:
    """Write UTF-8 `text` atomically (with a BOM when `bom`, for Excel)."""
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return write_bytes_atomic(path, data)
