{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

orders as (

    select * from {{ ref('orders') }}

),

final as (

    select
        cast(date_trunc('month', ordered_on) as date) as order_month,
        order_status,
        count(*) as order_count,
        cast(sum(total_price) as decimal(18, 2)) as total_order_value

    from orders
    group by 1, 2

)

select * from final
