{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        file_format='iceberg',
        touched_periods={
            'column': 'shipped_month',
            'data_type': 'date',
            'inputs': {'lineitems': "cast(date_trunc('month', shipped_on) as date)"},
        },
        **iceberg_table_config(),
    )
}}

{%- set touched = touched_periods() %}

with

lineitems as (

    select * from {{ ref('lineitems') }}
    where {{ in_months(touched, 'shipped_on') }}

),

priced as (

    select
        date_trunc('month', shipped_on) as shipped_month,
        return_flag,
        line_status,
        quantity,
        extended_price,
        discount_rate,
        extended_price * (1 - discount_rate) as discounted_price,
        extended_price * (1 - discount_rate) * (1 + tax_rate) as charged_price

    from lineitems

),

final as (

    select
        cast(shipped_month as date) as shipped_month,
        return_flag,
        line_status,
        count(*) as line_count,
        cast(sum(quantity) as decimal(18, 2)) as total_quantity,
        cast(sum(extended_price) as decimal(18, 2)) as total_base_price,
        cast(sum(discounted_price) as decimal(18, 2)) as total_discounted_price,
        cast(sum(charged_price) as decimal(18, 2)) as total_charged_price,
        cast(avg(quantity) as decimal(15, 2)) as average_quantity,
        cast(avg(extended_price) as decimal(15, 2)) as average_base_price,
        cast(avg(discount_rate) as decimal(15, 4)) as average_discount_rate

    from priced
    group by 1, 2, 3

)

select * from final
