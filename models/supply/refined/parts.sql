{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

parts as (

    select * from {{ ref('stg_scm__parts') }}

),

latest_parts as (

    -- a part re-delivered in a later batch replaces its earlier version
    {{ latest_version('parts', 'part_id') }}

),

final as (

    select
        cast(part_id as bigint) as part_id,
        part_name,
        manufacturer,
        brand,
        part_type,
        container,
        part_comment,
        cast(part_size as int) as part_size,
        cast(retail_price as decimal(15, 2)) as retail_price,
        batch_id,
        ingested_at

    from latest_parts

)

select * from final
