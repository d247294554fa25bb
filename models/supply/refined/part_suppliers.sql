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

latest_partsupps as (

    -- an offer re-delivered in a later batch replaces its earlier version
    {{ latest_version('partsupps', ['part_id', 'supplier_id']) }}

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

    from latest_partsupps

)

select * from final
