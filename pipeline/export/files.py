"""Writing outputs whole or not at all: temp file in the same folder, then os.replace.

Reads text/bytes from the caller; writes files. The only place exports touch disk.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Union

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


def write_text_atomic(path: Union[str, Path], text: str, bom: bool = False) -> Path:
    """Write UTF-8 `text` atomically (with a BOM when `bom`, for Excel)."""
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return write_bytes_atomic(path, data)
