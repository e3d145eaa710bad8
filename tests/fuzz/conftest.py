"""Fixtures for the fuzz tests: the seed files, made once per session (helpers live in fuzz_support.py)."""

from __future__ import annotations

import pytest

from fuzz_support import image_seeds, pdf_seeds


@pytest.fixture(scope="session")
def pdfs() -> dict[str, bytes]:
    return pdf_seeds()


@pytest.fixture(scope="session")
def pictures() -> dict[str, tuple[str, bytes]]:
    return image_seeds()
