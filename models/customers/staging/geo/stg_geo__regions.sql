with

source as (

    select * from {{ source('geo', 'region') }}

),

renamed as (

    select
        r_regionkey as region_id,
        r_name as region_name,
        r_comment as region_comment,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
