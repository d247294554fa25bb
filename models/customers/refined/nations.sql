{{
    config(
        materialized='table',
        file_format='iceberg',
        **iceberg_table_config(),
    )
}}

with

nations as (

    select * from {{ ref('stg_geo__nations') }}

),

regions as (

    select * from {{ ref('stg_geo__regions') }}

),

latest_nations as (

    {{ latest_version('nations', 'nation_id') }}

),

latest_regions as (

    {{ latest_version('regions', 'region_id') }}

),

final as (

    select
        cast(latest_nations.nation_id as bigint) as nation_id,
        cast(latest_nations.region_id as bigint) as region_id,
        latest_nations.nation_name,
        latest_regions.region_name,
        latest_nations.nation_comment,
        latest_nations.batch_id,
        latest_nations.ingested_at

    from latest_nations
    left join latest_regions
        on latest_nations.region_id = latest_regions.region_id

)

select * from final
