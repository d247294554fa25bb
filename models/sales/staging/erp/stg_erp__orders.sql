with

source as (

    select * from {{ source('erp', 'orders') }}

),

renamed as (

    select
        o_orderkey as order_id,
        o_custkey as customer_id,
        o_orderstatus as order_status,
        o_orderpriority as order_priority,
        o_clerk as clerk_name,
        o_comment as order_comment,
        o_totalprice as total_price,
        o_shippriority as ship_priority,
        o_orderdate as ordered_on,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
