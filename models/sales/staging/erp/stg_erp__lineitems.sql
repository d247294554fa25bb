with

source as (

    select * from {{ source('erp', 'lineitem') }}

),

renamed as (

    select
        l_orderkey as order_id,
        l_linenumber as line_number,
        l_partkey as part_id,
        l_suppkey as supplier_id,
        l_returnflag as return_flag,
        l_linestatus as line_status,
        l_shipinstruct as ship_instruction,
        l_shipmode as ship_mode,
        l_comment as line_comment,
        l_quantity as quantity,
        l_extendedprice as extended_price,
        l_discount as discount_rate,
        l_tax as tax_rate,
        l_shipdate as shipped_on,
        l_commitdate as committed_on,
        l_receiptdate as received_on,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
