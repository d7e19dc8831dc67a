"""Shared paths: the bundled data and the segmint CLI the Python results are compared with."""
import os
import pathlib
import shutil

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "data"


def cli_path():
    """The CLI built beside the package (SEGMINT_CLI, else the ci preset's build, else PATH)."""
    for candidate in (os.environ.get("SEGMINT_CLI"), REPO / "build" / "ci" / "tools" / "segmint", shutil.which("segmint")):
        if candidate and pathlib.Path(candidate).is_file():
            return str(candidate)
    return None


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if path is None:
        pytest.fail("the segmint CLI is needed to compare with: build it (cmake --preset ci) or set SEGMINT_CLI")
    return path
