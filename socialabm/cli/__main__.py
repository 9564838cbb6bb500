"""``python -m socialabm.cli ...``: the ``socialabm`` command by another name."""

import sys

from socialabm.cli.commands import main

sys.exit(main())
