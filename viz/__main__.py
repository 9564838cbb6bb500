"""``python -m socialabm.viz [--host H] [--port P] ...``: ``socialabm viz`` by another name."""

import sys

from socialabm.cli import main

sys.exit(main(["viz", *sys.argv[1:]]))
