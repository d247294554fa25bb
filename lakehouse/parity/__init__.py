"""`make parity`: the project through the unmodified dbt-glue on glue-local, compared with the
local build."""
