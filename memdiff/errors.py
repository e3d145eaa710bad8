"""Typed errors the core raises; the CLI and the GUI turn them into one clear sentence.

An ``InputError`` is the user's to fix (wrong file, no text layer, too large):
the CLI exits with status 2 and the GUI shows a dialog. Anything else that
escapes is a bug.
"""

from __future__ import annotations


class MemdiffError(Exception):
    """Base of every error memdiff raises on purpose. ``str(err)`` is the sentence to show."""


class InputError(MemdiffError):
    """An input cannot be used as it is; the message names the file and what to do."""


class UnsupportedFormat(InputError):
    """The file's content is of a kind memdiff does not read."""


class PasswordRequired(InputError):
    """An encrypted PDF was given without (or with a wrong) password."""


class NeedsOCR(InputError):
    """A PDF has no text layer (a scan): it must be run through OCR first."""


class LimitExceeded(InputError):
    """An input exceeds a safety limit (pages, pixels, bytes); the message states the limit."""


class SettingError(MemdiffError):
    """A setting given through the environment cannot be used; the message names it and what it must be."""


class Cancelled(MemdiffError):
    """The user cancelled a long operation."""


class OutputError(MemdiffError):
    """An output (report, JSON, case file) could not be written; nothing partial was left."""
