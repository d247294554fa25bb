with

source as (

    select * from {{ source('crm', 'customer') }}

),

renamed as (

    select
        c_custkey as customer_id,
        c_nationkey as nation_id,
        c_name as customer_name,
        c_address as customer_address,
        c_phone as phone_number,
        c_mktsegment as market_segment,
        c_comment as customer_comment,
        c_acctbal as account_balance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
