{{
    config(
        materialized='incremental',
        file_format='iceberg',
        incremental_strategy='merge',
        unique_key=['order_id'],
        partition_by=['months(ordered_on)'],
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

    from orders

)

select * from final
