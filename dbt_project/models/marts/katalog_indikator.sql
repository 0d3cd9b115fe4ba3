-- The indicator catalogue as readers of schema marts see it: the names of each indicator, its
-- sasaran, its program and its KSD, and, per year, its Renstra target and the Renstra period the
-- year falls in. Built from the same catalogue the figures use (the seeds and every delivery in
-- inbox/katalog/ and inbox/target/), so the publications and a read-only BI role on schema marts
-- need nothing from katalog.*. Portable SQL (DuckDB and PostgreSQL): no dialect functions.
with indikator as (

    select * from {{ ref('int_indikator_dipilih') }}

),

sasaran as (

    select * from {{ ref('sasaran') }}

),

program as (

    select * from {{ ref('program') }}

),

target as (

    select * from {{ ref('int_target_indikator_dipilih') }}

),

renstra_periode as (

    select * from {{ ref('int_renstra_periode_dipilih') }}

),

target_renstra as (

    select indikator_kode, cast(tahun as integer) as tahun, target
    from target
    where jenis_target = 'RENSTRA' and periode = 'TAHUNAN'

),

-- the years an indicator has in the catalogue: every year it has a target for, and the first and
-- last year of each of its Renstra periods (so a year before the first target adds no row)
tahun_indikator as (

    select indikator_kode, cast(tahun as integer) as tahun from target

    union

    select indikator_kode, cast(tahun_awal as integer) as tahun from renstra_periode

    union

    select indikator_kode, cast(tahun_akhir as integer) as tahun from renstra_periode

),

final as (

    select
        indikator.indikator_kode,
        indikator.indikator_nama,
        indikator.kelompok,
        indikator.satuan,
        indikator.polaritas,
        indikator.sumber_data,
        indikator.sasaran_kode,
        sasaran.sasaran_nama,
        indikator.program_kode,
        program.program_nama,
        program.sasaran_kode as program_sasaran_kode,
        indikator.ksd_nama,
        tahun_indikator.tahun,
        cast(target_renstra.target as numeric(20, 4)) as target_renstra,
        periode.periode_renstra,
        cast(periode.tahun_awal as integer) as renstra_tahun_awal,
        cast(periode.tahun_akhir as integer) as renstra_tahun_akhir,
        cast(periode.target_akhir_periode as numeric(20, 4)) as target_akhir_periode
    from indikator
    inner join tahun_indikator on tahun_indikator.indikator_kode = indikator.indikator_kode
    left join sasaran on sasaran.sasaran_kode = indikator.sasaran_kode
    left join program on program.program_kode = indikator.program_kode
    left join target_renstra
        on target_renstra.indikator_kode = indikator.indikator_kode and target_renstra.tahun = tahun_indikator.tahun
    left join renstra_periode as periode
        on periode.indikator_kode = indikator.indikator_kode
        and tahun_indikator.tahun between cast(periode.tahun_awal as integer) and cast(periode.tahun_akhir as integer)

)

select * from final
