"""Lets ``python -m memdiff`` run the command line."""

import sys

from memdiff.cli import main

sys.exit(main())
