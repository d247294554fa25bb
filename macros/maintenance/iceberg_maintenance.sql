{#- Iceberg housekeeping of the tables dbt builds:

        dbt run-operation iceberg_maintenance
        dbt run-operation iceberg_maintenance --args '{tables: [cmr_refined.orders], dry_run: true}'

    Per table, each step only when its table statistics call for it (so a fresh build costs one
    metadata query per table): compact small data files (rewrite_data_files), compact manifests
    (rewrite_manifests), expire the snapshots older than the retention window while keeping the
    last few (expire_snapshots, which deletes the files only they referenced), optionally delete
    files no snapshot references (remove_orphan_files); then record the time in the table
    property `lakehouse.maintained-at`. `make run` runs it after `dbt build` on the local
    lakehouse; on AWS the Glue table optimizers of terraform/modules/project do the same on a schedule.
    See docs/housekeeping.md. -#}

{% macro iceberg_maintenance(tables=none, retention_days=none, retain_last=none,
                             remove_orphans=false, orphan_days=none, max_manifests=4,
                             dry_run=false) %}
    {%- set retention = iceberg_retention() -%}
    {%- set days = retention['snapshot_retention_days'] if retention_days is none else retention_days -%}
    {%- set keep = retention['snapshots_to_retain'] if retain_last is none else retain_last -%}
    {%- set orphan = retention['orphan_file_retention_days'] if orphan_days is none else orphan_days -%}
    {%- set targets = tables if tables is not none else iceberg_tables_of_project() -%}
    {%- set catalog = iceberg_procedure_catalog() -%}
    {%- set now = modules.datetime.datetime.utcnow() -%}
    {%- set expire_before = (now - modules.datetime.timedelta(days=days)).strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    {%- set orphan_before = (now - modules.datetime.timedelta(days=orphan)).strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    {{ log('iceberg_maintenance: ' ~ targets | length ~ ' tables; expire snapshots before '
           ~ expire_before ~ ' UTC keeping the last ' ~ keep
           ~ ('; orphan files before ' ~ orphan_before ~ ' UTC' if remove_orphans else ''), info=true) }}

    {%- for table in targets -%}
        {%- set qualified = catalog ~ '.' ~ table -%}
        {%- set before = iceberg_table_stats(qualified, expire_before) -%}
        {%- set statements = [] -%}
        {%- if before['unpublished_audits'] > 0 -%}
            {#- compaction would move main past the audit branch's base, and the gate's publish
                (a fast-forward) would then fail: the table waits for its publish -#}
            {{ log(table ~ ': skipped, an audit branch waits to be published (docs/models.md)', info=true) }}
            {%- continue -%}
        {%- endif -%}
        {%- if before['crowded_partitions'] > 0 -%}
            {%- do statements.append("call " ~ catalog ~ ".system.rewrite_data_files(table => '"
                ~ table ~ "', options => map('min-input-files', '2'))") -%}
        {%- endif -%}
        {%- if before['manifests'] > max_manifests -%}
            {%- do statements.append("call " ~ catalog ~ ".system.rewrite_manifests('" ~ table ~ "')") -%}
        {%- endif -%}
        {%- if before['snapshots'] > keep and before['expirable'] > 0 -%}
            {%- do statements.append("call " ~ catalog ~ ".system.expire_snapshots(table => '" ~ table
                ~ "', older_than => timestamp '" ~ expire_before ~ "', retain_last => " ~ keep ~ ")") -%}
        {%- endif -%}
        {%- if remove_orphans -%}
            {%- do statements.append("call " ~ catalog ~ ".system.remove_orphan_files(table => '"
                ~ table ~ "', older_than => timestamp '" ~ orphan_before ~ "')") -%}
        {%- endif -%}
        {%- do statements.append("alter table " ~ qualified ~ " set tblproperties "
            ~ "('lakehouse.maintained-at' = '" ~ now.strftime('%Y-%m-%dT%H:%M:%SZ') ~ "')") -%}

        {%- if dry_run -%}
            {%- for statement in statements -%}
                {{ log('dry run: ' ~ statement, info=true) }}
            {%- endfor -%}
        {%- else -%}
            {%- for statement in statements -%}
                {%- do run_query(statement) -%}
            {%- endfor -%}
            {%- set after = iceberg_table_stats(qualified, expire_before) -%}
            {{ log(table ~ ': snapshots ' ~ before['snapshots'] ~ ' -> ' ~ after['snapshots']
                   ~ ', data files ' ~ before['data_files'] ~ ' -> ' ~ after['data_files']
                   ~ ', manifests ' ~ before['manifests'] ~ ' -> ' ~ after['manifests'], info=true) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}

{% macro iceberg_table_stats(qualified, expire_before) -%}
    {#- Snapshots (all, and older than the window), data files, partitions holding more than
        one data file (what compaction could merge) and manifests of the current snapshot: one
        query over Iceberg's metadata tables. -#}
    {%- set result = run_query(
        "select"
        ~ " (select count(*) from " ~ qualified ~ ".snapshots) as snapshots,"
        ~ " (select count(*) from " ~ qualified ~ ".snapshots"
        ~ "   where committed_at < timestamp '" ~ expire_before ~ "') as expirable,"
        ~ " (select count(*) from " ~ qualified ~ ".data_files) as data_files,"
        ~ " (select count(*) from " ~ qualified ~ ".manifests) as manifests,"
        ~ " (select count(*) from " ~ qualified ~ ".partitions where file_count > 1) as crowded,"
        ~ " (select count(*) from " ~ qualified ~ ".refs where name like 'audit_%') as audits") -%}
    {%- set row = result.rows[0] -%}
    {{- return({'snapshots': row[0], 'expirable': row[1], 'data_files': row[2], 'manifests': row[3],
                'crowded_partitions': row[4], 'unpublished_audits': row[5]}) -}}
{%- endmacro %}

{% macro iceberg_tables_of_project(project=none, curated=none) -%}
    {#- schema.table of every Iceberg model, seed and snapshot (of one project's folders, when
        given; only the data products of models/<project>/curated/, or only the others, when
        `curated` is true or false) that exists in the target (a table not built yet is skipped). -#}
    {%- set found = [] -%}
    {%- for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed', 'snapshot')
            and node.config.get('file_format') == 'iceberg'
            and node.config.materialized in ('table', 'incremental', 'seed', 'snapshot')
            and (project is none or node.original_file_path.split('/')[1] == project)
            and (curated is none or ('/curated/' in node.original_file_path) == curated) -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- do found.append(node.schema ~ '.' ~ node.alias) -%}
        {%- else -%}
            {{ log(node.schema ~ '.' ~ node.alias ~ ' not built yet, skipped', info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(found | sort) -}}
{%- endmacro %}

{% macro iceberg_node(table) -%}
    {#- The model, seed or snapshot whose table `table` (`schema.table`, as
        iceberg_tables_of_project names it) is. -#}
    {%- for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed', 'snapshot')
            and node.schema ~ '.' ~ node.alias == table -%}
        {{- return(node) -}}
    {%- endfor -%}
{%- endmacro %}
