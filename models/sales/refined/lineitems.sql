{{
    config(
        materialized='incremental',
        file_format='iceberg',
        incremental_strategy='merge',
        unique_key=['order_id', 'line_number'],
        partition_by=['months(shipped_on)'],
        incremental_predicates=batch_bounds('shipped_on'),
        pre_hook=["{{ set_batch_bounds('shipped_on') }}"],
        **iceberg_table_config(),
    )
}}

with

lineitems as (

    select * from {{ ref('stg_erp__lineitems') }}

    {% if is_incremental() %}
        -- only batches ingested since the last build; a replayed batch merges again
        where ingested_at > (select max(t.ingested_at) from {{ this }} as t)
    {% endif %}

),

latest_lineitems as (

    -- a line delivered again keeps only its latest version (one source row per key)
    {{ latest_version('lineitems', ['order_id', 'line_number']) }}

),

final as (

    select
        cast(order_id as bigint) as order_id,
        cast(line_number as int) as line_number,
        cast(part_id as bigint) as part_id,
        cast(supplier_id as bigint) as supplier_id,
        return_flag,
        line_status,
        ship_instruction,
        ship_mode,
        line_comment,
        cast(quantity as decimal(15, 2)) as quantity,
        cast(extended_price as decimal(15, 2)) as extended_price,
        cast(discount_rate as decimal(15, 2)) as discount_rate,
        cast(tax_rate as decimal(15, 2)) as tax_rate,
        cast(shipped_on as date) as shipped_on,
        cast(committed_on as date) as committed_on,
        cast(received_on as date) as received_on,
        batch_id,
        ingested_at

    from latest_lineitems

)

select * from final
