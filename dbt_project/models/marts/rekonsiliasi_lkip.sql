-- Every published figure of the LKIP beside what the warehouse computes from source data, with a
-- status and a one-line explanation. One intermediate model per family of published tables does
-- the comparing and explaining:
--   int_rekonsiliasi_kinerja_dibandingkan   indicator tables 3.2, 3.5, 3.6, 3.11, 3.12, 3.13, 3.14
--   int_rekonsiliasi_emonev_dibandingkan    manual E-Monev entries beside automatic values (E-MONEV)
--   int_rekonsiliasi_anggaran_dibandingkan  budget tables 1.4-1.7, 2.7-2.10, 3.7-3.10 and table 3.19
--   int_rekonsiliasi_renaksi_dibandingkan   rencana aksi outputs of tables 3.3 and 3.4
-- Each has the same columns, in the same order (enforced by their contracts); this mart adds the
-- plausibility flags of the indicator and period a row is about.
with kinerja as (

    select * from {{ ref('int_rekonsiliasi_kinerja_dibandingkan') }}

),

emonev as (

    select * from {{ ref('int_rekonsiliasi_emonev_dibandingkan') }}

),

anggaran as (

    select * from {{ ref('int_rekonsiliasi_anggaran_dibandingkan') }}

),

renaksi as (

    select * from {{ ref('int_rekonsiliasi_renaksi_dibandingkan') }}

),

capaian as (

    select * from {{ ref('capaian_indikator') }}

),

semua as (

    select * from kinerja
    union all
    select * from emonev
    union all
    select * from anggaran
    union all
    select * from renaksi

),

-- the plausibility flags of the indicator and period a row is about (e.g. SDI: realisasi 100
-- against a target of 3.25 on a 0-4 scale), so a figure that matches the report can still be seen
-- to be doubtful
plausibilitas as (

    select indikator_kode, tahun, periode, max(tanda_plausibilitas) as tanda_plausibilitas
    from capaian
    where tanda_plausibilitas is not null
    group by indikator_kode, tahun, periode

),

final as (

    select semua.*, plausibilitas.tanda_plausibilitas
    from semua
    left join plausibilitas
        on plausibilitas.indikator_kode = semua.indikator_kode
        and plausibilitas.tahun = semua.tahun
        and plausibilitas.periode = semua.periode

)

select * from final
