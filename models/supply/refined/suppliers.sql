{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

suppliers as (

    select * from {{ ref('stg_scm__suppliers') }}

),

latest_suppliers as (

    -- a supplier re-delivered in a later batch replaces its earlier version
    {{ latest_version('suppliers', 'supplier_id') }}

),

final as (

    select
        cast(supplier_id as bigint) as supplier_id,
        cast(nation_id as bigint) as nation_id,
        supplier_name,
        supplier_address,
        phone_number,
        supplier_comment,
        cast(account_balance as decimal(15, 2)) as account_balance,
        batch_id,
        ingested_at

    from latest_suppliers

)

select * from final
