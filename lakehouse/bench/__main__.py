"""`python -m lakehouse.bench`: see lakehouse.bench.run."""

import sys

from lakehouse.bench.run import main

sys.exit(main())
