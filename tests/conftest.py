"""Shared fixtures: small real texts written to disk in the encodings users meet."""

from __future__ import annotations

import os

# GUI tests and anything else that touches Qt must never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from memdiff.evidence import Parameters

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
