{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        file_format='iceberg',
        touched_periods={
            'column': 'delivery_year',
            'data_type': 'int',
            'inputs': {
                'lineitems': 'year(received_on)',
                'suppliers': 'select year(lineitems.received_on) from {changed} as changed'
                    ~ ' inner join {lineitems} as lineitems'
                    ~ ' on changed.supplier_id = lineitems.supplier_id',
                'nations': none,
            },
        },
        **iceberg_table_config(),
    )
}}

{%- set touched = touched_periods() %}

with

lineitems as (

    select * from {{ ref('lineitems') }}
    where {{ in_years(touched, 'received_on') }}

),

suppliers as (

    select * from {{ ref('suppliers') }}

),

nations as (

    select * from {{ ref('nations') }}

),

deliveries as (

    -- fulfilled lines only (status F): open lines have no delivery to judge yet
    select
        supplier_id,
        year(received_on) as delivery_year,
        received_on > committed_on as is_late,
        greatest(datediff(received_on, committed_on), 0) as days_late

    from lineitems
    where line_status = 'F'

),

per_supplier_year as (

    select
        supplier_id,
        delivery_year,
        count(*) as delivered_line_count,
        count_if(is_late) as late_line_count,
        sum(days_late) as total_days_late

    from deliveries
    group by 1, 2

),

final as (

    select
        per_supplier_year.supplier_id,
        suppliers.supplier_name,
        nations.nation_name,
        cast(per_supplier_year.delivery_year as int) as delivery_year,
        per_supplier_year.delivered_line_count,
        per_supplier_year.late_line_count,
        cast(
            1 - per_supplier_year.late_line_count
            / per_supplier_year.delivered_line_count
            as decimal(5, 4)
        ) as on_time_rate,
        cast(
            per_supplier_year.total_days_late
            / nullif(per_supplier_year.late_line_count, 0)
            as decimal(8, 2)
        ) as average_days_late

    from per_supplier_year
    inner join suppliers
        on per_supplier_year.supplier_id = suppliers.supplier_id
    left join nations
        on suppliers.nation_id = nations.nation_id

)

select * from final
