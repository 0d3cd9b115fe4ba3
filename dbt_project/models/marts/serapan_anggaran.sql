-- Budget absorption (serapan) per year and dimension member: pagu per stage,
-- realisasi, and serapan = realisasi / pagu APBD-P x 100, by unit, program, jenis belanja and
-- sasaran (through the program-to-sasaran mapping of the catalogue). Money is exact DECIMAL.
with anggaran as (

    select * from {{ ref('stg_sipd__anggaran') }}

),

program as (

    select * from {{ ref('program') }}

),

jenis_belanja as (

    select * from {{ ref('jenis_belanja') }}

),

sasaran as (

    select * from {{ ref('sasaran') }}

),

lebar as (

    select
        tahun,
        unit_kode,
        max(unit_nama) as unit_nama,
        program_kode,
        jenis_belanja_kode,
        sum(case when tahap = 'APBD' then nilai end) as pagu_apbd,
        sum(case when tahap = 'PERGESERAN' then nilai end) as pagu_pergeseran,
        sum(case when tahap = 'APBD_P' then nilai end) as pagu_apbdp,
        sum(case when tahap = 'REALISASI' then nilai end) as realisasi
    from anggaran
    group by tahun, unit_kode, program_kode, jenis_belanja_kode

),

-- serapan counts realisasi only where the APBD-P is known, so a unit whose APBD-P export has
-- not landed yet does not inflate the serapan of a program, sasaran or the total
berpagu as (

    select *, case when pagu_apbdp is not null then realisasi end as realisasi_berpagu
    from lebar

),

berdimensi as (

    select tahun, 'UNIT' as dimensi, unit_kode as kode, unit_nama as nama, pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, realisasi_berpagu
    from berpagu
    union all
    select lebar.tahun, 'PROGRAM', lebar.program_kode, program.program_nama, pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, realisasi_berpagu
    from berpagu as lebar
    left join program on program.program_kode = lebar.program_kode
    union all
    select lebar.tahun, 'JENIS_BELANJA', lebar.jenis_belanja_kode, jenis.jenis_belanja_nama, pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, realisasi_berpagu
    from berpagu as lebar
    left join jenis_belanja as jenis on jenis.jenis_belanja_kode = lebar.jenis_belanja_kode
    union all
    select lebar.tahun, 'SASARAN', program.sasaran_kode, sasaran.sasaran_nama, pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, realisasi_berpagu
    from berpagu as lebar
    inner join program on program.program_kode = lebar.program_kode
    left join sasaran on sasaran.sasaran_kode = program.sasaran_kode
    union all
    select tahun, 'TOTAL', 'TOTAL', 'Total belanja', pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, realisasi_berpagu
    from berpagu

),

dijumlah as (

    select
        tahun,
        dimensi,
        kode,
        max(nama) as nama,
        cast(sum(pagu_apbd) as decimal(20, 2)) as pagu_apbd,
        cast(sum(pagu_pergeseran) as decimal(20, 2)) as pagu_pergeseran,
        cast(sum(pagu_apbdp) as decimal(20, 2)) as pagu_apbdp,
        cast(sum(realisasi) as decimal(20, 2)) as realisasi,
        sum(realisasi_berpagu) as realisasi_berpagu
    from berdimensi
    group by tahun, dimensi, kode

),

final as (

    select
        tahun,
        dimensi,
        kode,
        nama,
        pagu_apbd,
        pagu_pergeseran,
        pagu_apbdp,
        realisasi,
        case when pagu_apbdp > 0 then cast(realisasi_berpagu as double precision) / cast(pagu_apbdp as double precision) * 100 end as serapan_persen
    from dijumlah

)

select * from final
