{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        file_format='iceberg',
        touched_periods={
            'column': 'order_month',
            'data_type': 'date',
            'inputs': {'orders': "cast(date_trunc('month', ordered_on) as date)"},
        },
        **iceberg_table_config(),
    )
}}

{%- set touched = touched_periods() %}

with

orders as (

    select * from {{ ref('orders') }}
    where {{ in_months(touched, 'ordered_on') }}

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
