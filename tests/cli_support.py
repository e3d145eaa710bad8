"""What the command-line tests check of every message: one sentence, never a traceback or an internal error."""

from __future__ import annotations


def one_sentence(err: str) -> str:
    """``err`` stripped, after checking it is one line with no traceback and no 'internal error'."""
    err = err.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in err and "internal error" not in err, err
    return err
