"""The court report: a PDF exhibit (plus its JSON result) for one or many comparisons, and ``verify``.

Public interface used by the CLI and the GUI::

    write_report(comparison, original, suspect, "report.pdf", front=FrontMatter(...), provenance=Provenance(...))
    write_batch_report(original, [(suspect, comparison), ...], "exhibit.pdf")
    verify("report.pdf", "original.pdf", "output.txt")  -> VerifyResult(ok, lines)
    verify_outputs("exhibit.pdf", "original.pdf", ["out-1.txt", "out-7.txt"])  -> VerifyResult(ok, lines)
"""

from __future__ import annotations

from memdiff.report.sections import FrontMatter, Provenance
from memdiff.report.verify import VerifyResult, verify, verify_outputs
from memdiff.report.write import write_batch_report, write_report

__all__ = [
    "FrontMatter",
    "Provenance",
    "VerifyResult",
    "verify",
    "verify_outputs",
    "write_batch_report",
    "write_report",
]
