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

    select
        *,
        row_number() over (
            partition by nation_id order by ingested_at desc, batch_id desc
        ) as version_rank

    from nations

),

latest_regions as (

    select
        *,
        row_number() over (
            partition by region_id order by ingested_at desc, batch_id desc
        ) as version_rank

    from regions

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
        on
            latest_nations.region_id = latest_regions.region_id
            and latest_regions.version_rank = 1
    where latest_nations.version_rank = 1

)

select * from final
