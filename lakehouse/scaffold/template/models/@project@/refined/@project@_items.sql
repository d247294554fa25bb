{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

items as (

    select * from {{ ref('stg_@source@__items') }}

),

latest_items as (

    -- an item re-delivered in a later batch replaces its earlier version
    {{ latest_version('items', 'item_id') }}

),

final as (

    select
        cast(item_id as bigint) as item_id,
        item_name,
        item_category,
        cast(quantity_in_stock as int) as quantity_in_stock,
        cast(unit_price as decimal(15, 2)) as unit_price,
        cast(counted_on as date) as counted_on,
        batch_id,
        ingested_at

    from latest_items

)

select * from final
