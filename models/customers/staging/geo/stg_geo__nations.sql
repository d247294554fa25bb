with

source as (

    select * from {{ source('geo', 'nation') }}

),

renamed as (

    select
        n_nationkey as nation_id,
        n_regionkey as region_id,
        n_name as nation_name,
        n_comment as nation_comment,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
