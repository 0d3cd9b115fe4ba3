-- Reporting years: every year for which some realisasi has arrived, and every year the agency has
-- signed a Perjanjian Kinerja for (a Perkin target delivered or in the seed): such a year shows its
-- indicators as BELUM_RILIS until their realisasi arrives, not as missing rows. Renstra targets of
-- later years alone do not make a reporting year.
with realisasi as (

    select * from {{ ref('int_realisasi_dipilih') }}

),

target as (

    select * from {{ ref('int_target_indikator_dipilih') }}

),

final as (

    select tahun from realisasi
    union
    select tahun from target where jenis_target = 'PERKIN'

)

select * from final
