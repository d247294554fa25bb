{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

items as (

    select * from {{ ref('@project@_items') }}

),

final as (

    select
        item_category,
        count(*) as item_count,
        cast(sum(quantity_in_stock) as bigint) as quantity_in_stock,
        cast(sum(quantity_in_stock * unit_price) as decimal(18, 2)) as stock_value

    from items
    group by item_category

)

select * from final
