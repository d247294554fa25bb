import sys

from lakehouse.checks.conventions import main

sys.exit(main())
