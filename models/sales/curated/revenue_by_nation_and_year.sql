{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        file_format='iceberg',
        touched_periods={
            'column': 'order_year',
            'data_type': 'int',
            'inputs': {
                'orders': 'year(ordered_on)',
                'lineitems': 'select year(orders.ordered_on) from {changed} as changed'
                    ~ ' inner join {orders} as orders on changed.order_id = orders.order_id',
                'customers': 'select year(orders.ordered_on) from {changed} as changed'
                    ~ ' inner join {orders} as orders on changed.customer_id = orders.customer_id',
                'nations': none,
            },
        },
        **iceberg_table_config(),
    )
}}

{%- set touched = touched_periods() %}

with

lineitems as (

    select * from {{ ref('lineitems') }}

),

orders as (

    select * from {{ ref('orders') }}
    where {{ in_years(touched, 'ordered_on') }}

),

customers as (

    select * from {{ ref('customers') }}

),

nations as (

    select * from {{ ref('nations') }}

),

order_revenue as (

    select
        order_id,
        sum(extended_price * (1 - discount_rate)) as net_revenue

    from lineitems
    group by 1

),

final as (

    select
        year(orders.ordered_on) as order_year,
        nations.nation_name,
        nations.region_name,
        count(*) as order_count,
        cast(sum(order_revenue.net_revenue) as decimal(18, 2)) as net_revenue

    from orders
    inner join order_revenue
        on orders.order_id = order_revenue.order_id
    inner join customers
        on orders.customer_id = customers.customer_id
    inner join nations
        on customers.nation_id = nations.nation_id
    group by 1, 2, 3

)

select * from final
