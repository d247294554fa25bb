with

source as (

    select * from {{ source('@source@', 'items') }}

),

renamed as (

    select
        item_id,
        item_name,
        category as item_category,
        quantity as quantity_in_stock,
        unit_price,
        updated_on as counted_on,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
