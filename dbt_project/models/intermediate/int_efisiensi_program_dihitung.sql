-- Per program and year: budget (pagu APBD-P, realisasi from SIPD) beside the program's capaian,
-- the average of its indicators' capaian against the Renstra, each capped at 110 % first (as
-- every average of the report; the raw average is kept too). Programs without budget lines in
-- SIPD (e.g. 3.30.02 perizinan, N/A in table 3.19) have no row.
with capaian_indikator as (

    select * from {{ ref('capaian_indikator') }}
    where kelompok = 'PROGRAM' and periode = 'TAHUNAN' and jenis_target = 'RENSTRA' and status_data = 'TERSEDIA'

),

serapan as (

    select * from {{ ref('serapan_anggaran') }}
    where dimensi = 'PROGRAM' and pagu_apbdp > 0

),

program as (

    select * from {{ ref('program') }}

),

capaian as (

    select
        program_kode,
        tahun,
        cast(
            sum(cast(capaian_dihitung_persen as decimal(38, 12))) / count(*) as double precision
        ) as capaian_program_persen,
        cast(sum(cast(capaian_persen as decimal(38, 12))) / count(*) as double precision) as capaian_program_mentah_persen,
        cast(count(*) as bigint) as jumlah_indikator
    from capaian_indikator
    group by program_kode, tahun

),

anggaran as (

    select tahun, kode as program_kode, pagu_apbdp, realisasi
    from serapan

),

final as (

    select
        anggaran.tahun,
        program.sasaran_kode,
        anggaran.program_kode,
        anggaran.pagu_apbdp as pagu,
        anggaran.realisasi as realisasi_anggaran,
        capaian.capaian_program_persen,
        capaian.capaian_program_mentah_persen,
        capaian.jumlah_indikator
    from anggaran
    inner join capaian
        on capaian.program_kode = anggaran.program_kode
        and capaian.tahun = anggaran.tahun
    inner join program on program.program_kode = anggaran.program_kode

)

select * from final
