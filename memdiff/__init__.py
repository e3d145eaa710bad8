"""memdiff: shows whether and where an AI model's output reproduces an original work."""

from __future__ import annotations

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("memdiff")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
