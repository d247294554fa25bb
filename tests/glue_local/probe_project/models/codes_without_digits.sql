{#- The known adapter difference: dbt-glue sends SQL inside a Python '''...''' string, so the
    backslash is unescaped once more than on dbt-spark ('\\d' becomes the letter d on Glue). -#}
{{ config(materialized='table') }}

with

prices as (
    select * from {{ ref('prices') }}
),

final as (
    select
        price_id,
        regexp_replace(code, '\\d', '') as letters
    from prices
)

select * from final
