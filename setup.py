"""Build step that puts the lexicons into the package (the rest of the configuration is in pyproject.toml).

The top-level `lexicons/` folder is the one source of the rules. A wheel carries a copy
of it inside the package, as `pipeline/data/lexicons/`, where `pipeline.lexicons` finds it
through `importlib.resources`. An editable install needs no copy: the package then sits
in the checkout and reads `lexicons/` itself.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LEXICONS = Path(__file__).resolve().parent / "lexicons"
TARGET = ("pipeline", "data", "lexicons")
SUFFIXES = (".tsv", ".txt")


class BuildWithLexicons(build_py):
    """build_py that also copies lexicons/*.tsv and *.txt into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, *TARGET)
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(LEXICONS.iterdir()):
            if source.is_file() and source.suffix in SUFFIXES:
                shutil.copyfile(source, target / source.name)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if not getattr(self, "editable_mode", False):
            outputs += [str(Path(self.build_lib, *TARGET, p.name)) for p in sorted(LEXICONS.iterdir())
                        if p.is_file() and p.suffix in SUFFIXES]
        return outputs


setup(cmdclass={"build_py": BuildWithLexicons})
