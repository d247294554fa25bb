{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

partsupps as (

    select * from {{ ref('stg_scm__partsupps') }}

),

versions as (

    -- an offer re-delivered in a later batch replaces its earlier version
    select
        *,
        row_number() over (
            partition by part_id, supplier_id
            order by ingested_at desc, batch_id desc
        ) as version_rank

    from partsupps

),

final as (

    select
        cast(part_id as bigint) as part_id,
        cast(supplier_id as bigint) as supplier_id,
        offer_comment,
        cast(available_quantity as int) as available_quantity,
        cast(supply_cost as decimal(15, 2)) as supply_cost,
        batch_id,
        ingested_at

    from versions
    where version_rank = 1

)

select * from final
