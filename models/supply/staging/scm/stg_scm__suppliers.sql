with

source as (

    select * from {{ source('scm', 'supplier') }}

),

renamed as (

    select
        s_suppkey as supplier_id,
        s_nationkey as nation_id,
        s_name as supplier_name,
        s_address as supplier_address,
        s_phone as phone_number,
        s_comment as supplier_comment,
        s_acctbal as account_balance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
