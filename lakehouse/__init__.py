"""Tooling of the embedded local lakehouse: set-up, the `make run` pipeline, the SQL shell."""

import os as _os

# Spark asks the JVM for the machine's host name (InetAddress.getLocalHost), which fails where
# the name does not resolve (containers, CI runners without an /etc/hosts entry for it). The
# lakehouse listens on 127.0.0.1 only (spark.driver.host/bindAddress), so it names itself
# localhost unless the environment says otherwise. Set here, on import, because every entry
# point (`python -m lakehouse...`: make run, make sql, the gate, glue-local, the bench) may
# start a JVM; lakehouse.environment passes it on to the processes it sets up.
JVM_HOST = {"SPARK_LOCAL_HOSTNAME": "localhost"}
for _name, _value in JVM_HOST.items():
    _os.environ.setdefault(_name, _value)
