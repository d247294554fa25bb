{{
    config(
        materialized='incremental',
        file_format='iceberg',
        incremental_strategy='merge',
        unique_key=['order_id'],
        partition_by=['months(ordered_on)'],
        incremental_predicates=batch_bounds('ordered_on'),
        pre_hook=["{{ set_batch_bounds('ordered_on') }}"],
        **iceberg_table_config(),
    )
}}

with

orders as (

    select * from {{ ref('stg_erp__orders') }}

    {% if is_incremental() %}
        -- only batches ingested since the last build; a replayed batch merges again
        where ingested_at > (select max(t.ingested_at) from {{ this }} as t)
    {% endif %}

),

latest_orders as (

    -- an order delivered again (e.g. a status change) keeps only its latest version, so
    -- the merge never sees two source rows for one key
    {{ latest_version('orders', 'order_id') }}

),

final as (

    select
        cast(order_id as bigint) as order_id,
        cast(customer_id as bigint) as customer_id,
        order_status,
        order_priority,
        clerk_name,
        order_comment,
        cast(total_price as decimal(15, 2)) as total_price,
        cast(ship_priority as int) as ship_priority,
        cast(ordered_on as date) as ordered_on,
        batch_id,
        ingested_at

    from latest_orders

)

select * from final
