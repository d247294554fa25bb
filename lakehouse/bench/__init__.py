"""`make bench`: the pipeline's performance against a hand-written PySpark floor."""
