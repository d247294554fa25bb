{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['price_id']) }}

with

prices as (
    select * from {{ ref('prices') }}
),

final as (
    select
        price_id,
        price * 2 as doubled_price,
        priced_on
    from prices
)

select * from final
