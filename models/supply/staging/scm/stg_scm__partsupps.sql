with

source as (

    select * from {{ source('scm', 'partsupp') }}

),

renamed as (

    select
        ps_partkey as part_id,
        ps_suppkey as supplier_id,
        ps_comment as offer_comment,
        ps_availqty as available_quantity,
        ps_supplycost as supply_cost,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
