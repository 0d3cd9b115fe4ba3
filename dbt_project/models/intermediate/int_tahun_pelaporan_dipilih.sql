-- Reporting years: every year for which some realisasi has arrived. Targets of later
-- Renstra years do not appear in the marts until their year starts reporting.
with realisasi as (

    select * from {{ ref('int_realisasi_dipilih') }}

),

final as (

    select distinct tahun
    from realisasi

)

select * from final
