with

source as (

    select * from {{ source('scm', 'part') }}

),

renamed as (

    select
        p_partkey as part_id,
        p_name as part_name,
        p_mfgr as manufacturer,
        p_brand as brand,
        p_type as part_type,
        p_container as container,
        p_comment as part_comment,
        p_size as part_size,
        p_retailprice as retail_price,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
