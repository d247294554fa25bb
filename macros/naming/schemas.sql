{#- Schema (Glue database) and storage location of every node, derived from domain.yml (via
    var('domain')), the node's folder and the target. The rules are docs/naming.md. -#}

{% macro layer_of(node) -%}
    {#- models/<project>/<layer>/...: the layer is the second folder (staging views, or a dbt-built
        layer of domain.yml); seeds and snapshots are conformed reference data and history
        (refined); stored test failures go to audit. -#}
    {%- if node.resource_type == 'model' -%}
        {%- set parts = node.path.split('/') -%}
        {%- set folders = ['staging'] + var('domain')['layers'][1:] -%}
        {%- if parts | length < 3 or parts[1] not in folders -%}
            {{ exceptions.raise_compiler_error(
                "Model " ~ node.original_file_path ~ " must live in models/<project>/<layer>/ "
                ~ "with <layer> one of " ~ folders | join(', ')) }}
        {%- endif -%}
        {{- parts[1] -}}
    {%- elif node.resource_type in ('seed', 'snapshot') -%}
        refined
    {%- else -%}
        audit
    {%- endif -%}
{%- endmacro %}

{% macro project_of(node) -%}
    {#- models/<project>/... (a test: the folder of the yml that declares it, or tests/dbt/<project>/) -#}
    {%- if node.resource_type == 'test' -%}
        {%- set parts = node.original_file_path.split('/') -%}
        {%- set found = parts[1] if parts[0] == 'models' and parts | length > 2
            else (parts[2] if parts[:2] == ['tests', 'dbt'] and parts | length > 3 else 'shared') -%}
        {{- found -}}
    {%- else -%}
        {{- node.path.split('/')[0] if '/' in node.path else 'shared' -}}
    {%- endif -%}
{%- endmacro %}

{% macro is_developer_build() -%}
    {#- The dev target is a developer's sandbox, unless a deployment builds the dev environment's
        shared schemas (`--vars '{shared_schemas: true}'`, as deploy.yml does). -#}
    {{- return(target.name == 'dev' and not var('shared_schemas', false)) -}}
{%- endmacro %}

{% macro develops(node) -%}
    {#- Whether a developer's build makes its own copy of `node`: only the nodes of the project
        it develops (DBT_PROJECT). Every other project's relations are read where that project
        published them, as a consumer in the mesh reads them; no copy of them is needed. -#}
    {%- if not is_developer_build() -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set project = env_var('DBT_PROJECT', '') -%}
    {%- if not project -%}
        {{ exceptions.raise_compiler_error(
            "target dev needs DBT_PROJECT (the project you build, e.g. export DBT_PROJECT=sales)") }}
    {%- endif -%}
    {{- return(project_of(node) == project) -}}
{%- endmacro %}

{% macro developer() -%}
    {#- A developer's name, which names their schemas so that two developers never collide. -#}
    {%- set developer = env_var('DBT_DEVELOPER', '') | lower -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]*$', developer) -%}
        {{ exceptions.raise_compiler_error(
            "target dev needs DBT_DEVELOPER (lower-case letters, digits, _), e.g. export DBT_DEVELOPER=jdoe") }}
    {%- endif -%}
    {{- developer -}}
{%- endmacro %}

{% macro layer_schema(layer, node=none) -%}
    {#- <abbr>_<layer>, and _<developer> for the nodes a developer's build copies. -#}
    {%- set suffix = ('_' ~ developer()) if node is not none and develops(node) else '' -%}
    {{- var('domain')['abbreviation'] ~ '_' ~ layer ~ suffix -}}
{%- endmacro %}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Stored test failures always land in the audit schema (dbt's default custom schema for
        them, dbt_test__audit, is not a layer). -#}
    {%- if node.resource_type == 'test' -%}
        {{- layer_schema('audit', node) -}}
    {%- else -%}
        {{- layer_schema(custom_schema_name or layer_of(node), node) -}}
    {%- endif -%}
{%- endmacro %}
