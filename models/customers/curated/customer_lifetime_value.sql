{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

customers as (

    select * from {{ ref('customers') }}

),

nations as (

    select * from {{ ref('nations') }}

),

orders as (

    select * from {{ ref('orders') }}

),

customer_orders as (

    select
        customer_id,
        count(*) as order_count,
        sum(total_price) as lifetime_value,
        min(ordered_on) as first_ordered_on,
        max(ordered_on) as last_ordered_on

    from orders
    group by 1

),

joined as (

    select
        customers.customer_id,
        customers.customer_name,
        customers.market_segment,
        nations.nation_name,
        coalesce(customer_orders.order_count, 0) as order_count,
        coalesce(customer_orders.lifetime_value, 0) as lifetime_value,
        customer_orders.first_ordered_on,
        customer_orders.last_ordered_on

    from customers
    left join customer_orders
        on customers.customer_id = customer_orders.customer_id
    left join nations
        on customers.nation_id = nations.nation_id

),

final as (

    select
        customer_id,
        customer_name,
        market_segment,
        nation_name,
        -- value tiers agreed with sales: lifetime order value in the company's currency
        case
            when order_count = 0 then 'prospect'
            when lifetime_value >= 3000000 then 'platinum'
            when lifetime_value >= 1500000 then 'gold'
            when lifetime_value >= 500000 then 'silver'
            else 'bronze'
        end as value_segment,
        order_count,
        cast(lifetime_value as decimal(18, 2)) as lifetime_value,
        cast(
            case when order_count > 0 then lifetime_value / order_count end
            as decimal(18, 2)
        ) as average_order_value,
        first_ordered_on,
        last_ordered_on

    from joined

)

select * from final
