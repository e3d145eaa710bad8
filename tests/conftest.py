"""Shared fixtures: small real texts written to disk in the encodings users meet."""

from __future__ import annotations

import os

# GUI tests and anything else that touches Qt must never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import settings

from memdiff.evidence import Parameters
from memdiff.text.frequency_index import CACHE_ENV

# Property tests draw the same examples on every run and every machine, so a
# failure on CI can be reproduced as it happened; HYPOTHESIS_PROFILE=explore
# draws new ones each run, to look for bugs (the fuzz tests say how many).
settings.register_profile("memdiff", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "memdiff"))


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The word-frequency index is written to this run's own folder (also by the processes tests start), never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture
def params() -> Parameters:
    return Parameters()


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8"):
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture
def case(write):
    """A chapter of Austen as the original and a chat answer quoting it, as files: (original, output)."""
    from prose import AUSTEN, COPY

    return write("original.txt", AUSTEN), write("output.txt", COPY)


@pytest.fixture
def no_comparison(monkeypatch):
    """Fail the test if any comparison starts: the error must come before the work."""
    from memdiff import cli

    def compare_one(*args, **kwargs):
        pytest.fail("a comparison ran before the mistake was reported")

    monkeypatch.setattr(cli, "_compare_one", compare_one)
