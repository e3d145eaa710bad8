"""Fixtures for the fuzz tests: the seed files, made once per session (helpers live in fuzz_support.py)."""

from __future__ import annotations

import os

import pytest

from fuzz_support import image_seeds, pdf_seeds


def _chosen(seeds: dict) -> dict:
    """MEMDIFF_FUZZ_SEEDS=png,jpeg limits a campaign to some seeds (e.g. to look past a known bug)."""
    wanted = [k.strip() for k in os.environ.get("MEMDIFF_FUZZ_SEEDS", "").split(",") if k.strip()]
    return {k: v for k, v in seeds.items() if not wanted or k in wanted} or seeds


@pytest.fixture(scope="session")
def pdfs() -> dict[str, bytes]:
    return _chosen(pdf_seeds())


@pytest.fixture(scope="session")
def pictures() -> dict[str, tuple[str, bytes]]:
    return _chosen(image_seeds())
