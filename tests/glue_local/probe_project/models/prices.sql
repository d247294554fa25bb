{{ config(materialized='view', file_format='parquet') }}

with

probe_prices as (
    select * from {{ ref('probe_prices') }}
),

final as (
    select
        price_id,
        code,
        price,
        priced_on
    from probe_prices
)

select * from final
