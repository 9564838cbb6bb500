"""``python -m socialabm.viz [--host H] [--port P]``: serve the classroom app."""

import sys

from socialabm.viz.cli import main

sys.exit(main(["viz", *sys.argv[1:]]))
