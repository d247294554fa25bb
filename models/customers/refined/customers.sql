{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

latest_customers as (

    -- a customer re-delivered in a later batch replaces its earlier version
    {{ latest_version('customers', 'customer_id') }}

),

final as (

    select
        cast(customer_id as bigint) as customer_id,
        cast(nation_id as bigint) as nation_id,
        customer_name,
        customer_address,
        phone_number,
        market_segment,
        customer_comment,
        cast(account_balance as decimal(15, 2)) as account_balance,
        batch_id,
        ingested_at

    from latest_customers

)

select * from final
