"""`python -m lakehouse.parity`: see lakehouse.parity.check."""

import sys

from lakehouse.parity.check import main

sys.exit(main())
