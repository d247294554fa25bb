{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

lineitems as (

    select * from {{ ref('lineitems') }}

),

orders as (

    select * from {{ ref('orders') }}

),

customers as (

    select * from {{ ref('customers') }}

),

open_lines as (

    -- lines not shipped yet (line status O); their net value is what waits for shipping
    select
        order_id,
        count(*) as open_line_count,
        min(shipped_on) as next_shipped_on,
        sum(extended_price * (1 - discount_rate)) as open_revenue

    from lineitems
    where line_status = 'O'
    group by 1

),

ranked as (

    select
        orders.order_id,
        orders.customer_id,
        customers.market_segment,
        orders.order_priority,
        orders.ship_priority,
        open_lines.open_line_count,
        cast(open_lines.open_revenue as decimal(18, 2)) as open_revenue,
        orders.ordered_on,
        open_lines.next_shipped_on,
        rank() over (
            partition by customers.market_segment
            order by open_lines.open_revenue desc, orders.ordered_on asc
        ) as priority_rank

    from open_lines
    inner join orders
        on open_lines.order_id = orders.order_id
    inner join customers
        on orders.customer_id = customers.customer_id

),

final as (

    select
        order_id,
        customer_id,
        market_segment,
        order_priority,
        ship_priority,
        cast(priority_rank as int) as priority_rank,
        open_line_count,
        open_revenue,
        ordered_on,
        next_shipped_on

    from ranked

)

select * from final
