"""Lets ``python -m memdiff`` run the command line."""

from memdiff.cli import run

run()
