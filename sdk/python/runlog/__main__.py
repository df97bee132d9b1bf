"""`python -m runlog ls|projects|show|tail`: the store from a terminal, with no Node (see `_cli.py`)."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
