"""`python -m lakehouse.parity`: see lakehouse.parity.check."""

import sys

from lakehouse.local import metastore
from lakehouse.parity.check import main

try:
    code = main()
finally:
    metastore.stop(if_idle=True)  # the reference lakehouse's metastore server goes with it
sys.exit(code)
