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

versions as (

    -- a part re-delivered in a later batch replaces its earlier version
    select
        *,
        row_number() over (
            partition by part_id order by ingested_at desc, batch_id desc
        ) as version_rank

    from parts

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

    from versions
    where version_rank = 1

)

select * from final
