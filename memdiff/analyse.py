"""The one entry point from two loaded Documents to a finished Comparison.

The CLI, the GUI, the report's ``verify`` and the benchmarks all call
:func:`compare`; it picks text or image analysis and never touches files.
"""

from __future__ import annotations

from typing import Literal

from memdiff.errors import InputError
from memdiff.evidence import Comparison, Document, Parameters
from memdiff.progress import SILENT, Progress

ModeChoice = Literal["auto", "text", "image"]


def compare(
    original: Document,
    suspect: Document,
    parameters: Parameters | None = None,
    *,
    mode: ModeChoice = "auto",
    progress: Progress = SILENT,
) -> Comparison:
    """Compare ``suspect`` (the model output) against ``original`` (the work)."""
    parameters = parameters or Parameters()
    parameters.validate()
    chosen = resolve_mode(original, suspect, mode)
    if chosen == "image":
        from memdiff.image import compare_images

        return compare_images(original, suspect, parameters, progress=progress)
    from memdiff.text import compare_texts

    return compare_texts(original, suspect, parameters, progress=progress)


def resolve_mode(original: Document, suspect: Document, mode: ModeChoice = "auto") -> Literal["text", "image"]:
    """The analysis both documents allow; a clear sentence when they do not agree."""
    if mode == "auto":
        if original.kind != suspect.kind:
            raise InputError(
                f"{original.name} is {_kind_phrase(original)} but {suspect.name} is {_kind_phrase(suspect)}; "
                "compare a text with a text or an image with an image."
            )
        return original.kind
    for doc in (original, suspect):
        if doc.kind != mode:
            raise InputError(f"{doc.name} is {_kind_phrase(doc)}, so it cannot be compared in {mode} mode.")
    return mode


def _kind_phrase(doc: Document) -> str:
    return "an image" if doc.kind == "image" else "a text document"
