{#- "Latest version of every key wins" (docs/models.md), the one place it is written: a key
    delivered again keeps only the row with the greatest `versioned_by` values (ingestion time,
    then batch id). Arguments and use: _modeling__macros.yml. -#}

{% macro latest_version(relation, key, versioned_by=['ingested_at', 'batch_id']) -%}
    {%- set keys = [key] if key is string else key -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ keys | join(', ') }}
                order by {{ versioned_by | join(' desc, ') }} desc
            ) as version_rank

        from {{ relation }}
    ) as versions
    where version_rank = 1
{%- endmacro %}
