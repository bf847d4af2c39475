"""Converter: a .doc/.wps/.rtf/.odt file in, a .docx path out, by LibreOffice.

Runs `soffice --headless --convert-to docx` into a private temporary folder
(removed when the process exits); without LibreOffice it says how to get it.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List, Optional

from ..errors import InputError

CONVERT_TIMEOUT_SECONDS = 180
SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = ("LibreOffice is needed to read this format and `soffice` is not on PATH: install it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer) or save the file as .docx")

_temp_dirs: List[str] = []


def _cleanup() -> None:
    for folder in _temp_dirs:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_cleanup)


def find_soffice() -> Optional[str]:
    """Path of the LibreOffice command on PATH, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(path: str | Path) -> Path:
    """Convert a .doc/.wps/.rtf/.odt file to .docx with LibreOffice.

    In: a path. Out: the path of the converted .docx inside a temporary
    folder that lives until the process exits. Raises InputError when the
    file is missing, when `soffice` is not on PATH (the message names the
    fix), or when LibreOffice fails or times out.
    """
    source = Path(path)
    if not source.is_file():
        raise InputError(source, "no such file")
    if source.stat().st_size == 0:
        raise InputError(source, "empty file")
    soffice = find_soffice()
    if soffice is None:
        raise InputError(source, INSTALL_HINT)
    out_dir = tempfile.mkdtemp(prefix="planlens-convert-")
    _temp_dirs.append(out_dir)
    profile = Path(out_dir, "profile").as_uri()  # a private profile: parallel runs do not collide
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", out_dir, str(source.resolve())]
    try:
        completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=CONVERT_TIMEOUT_SECONDS, check=False,
                                   env={**os.environ, "HOME": out_dir})
    except subprocess.TimeoutExpired:
        raise InputError(source, f"LibreOffice did not finish converting within "
                                 f"{CONVERT_TIMEOUT_SECONDS} s") from None
    except OSError as error:
        raise InputError(source, f"LibreOffice could not be started ({error})") from None
    converted = Path(out_dir, source.stem + ".docx")
    if completed.returncode != 0 or not converted.is_file():
        detail = (completed.stderr or completed.stdout or b"").decode("utf-8", "replace").strip()
        detail = detail.splitlines()[-1] if detail else f"exit code {completed.returncode}"
        raise InputError(source, f"LibreOffice could not convert it to .docx ({detail})")
    return converted
