"""Tooling of the embedded local lakehouse: set-up, the `make run` pipeline, the SQL shell."""

# Every entry point (`python -m lakehouse...`: make run, make sql, the gate, glue-local, the
# bench) may start a JVM, which needs a host name that resolves: lakehouse/host_name.py.
# lakehouse.environment passes the variables on to the processes it sets up.
from lakehouse import host_name as _host_name

_host_name.apply()
