-- Budget per tahun x unit x program x kegiatan x sub kegiatan x akun and stage (tahap), from the
-- latest export of that unit, year and stage: a SIPD export is a full snapshot of the stages it
-- carries, so a later export of the same unit and stage replaces the earlier one whole. "Latest"
-- is the date the export's figures stand at (tanggal_data, from its title: "s.d. 31 Desember 2024"),
-- else the day it landed; ties go to the later landing. An older month's realisasi delivered
-- after a newer one therefore does not roll the figures back.
-- Repeated akun lines within one export (several rincian) are summed. Money stays DECIMAL.
with source as (

    select * from {{ source('sipd', 'anggaran') }}

),

panjang as (

    select batch_id, landed_at, coalesce(tanggal_data, cast(landed_at as date)) as tanggal_efektif, tahun, unit_kode, unit_nama, program_kode, kegiatan_kode, sub_kegiatan_kode, akun_kode,
        jenis_belanja_kode, 'APBD' as tahap, pagu_apbd as nilai
    from source where pagu_apbd is not null
    union all
    select batch_id, landed_at, coalesce(tanggal_data, cast(landed_at as date)) as tanggal_efektif, tahun, unit_kode, unit_nama, program_kode, kegiatan_kode, sub_kegiatan_kode, akun_kode,
        jenis_belanja_kode, 'PERGESERAN' as tahap, pagu_pergeseran as nilai
    from source where pagu_pergeseran is not null
    union all
    select batch_id, landed_at, coalesce(tanggal_data, cast(landed_at as date)) as tanggal_efektif, tahun, unit_kode, unit_nama, program_kode, kegiatan_kode, sub_kegiatan_kode, akun_kode,
        jenis_belanja_kode, 'APBD_P' as tahap, pagu_apbdp as nilai
    from source where pagu_apbdp is not null
    union all
    select batch_id, landed_at, coalesce(tanggal_data, cast(landed_at as date)) as tanggal_efektif, tahun, unit_kode, unit_nama, program_kode, kegiatan_kode, sub_kegiatan_kode, akun_kode,
        jenis_belanja_kode, 'REALISASI' as tahap, realisasi as nilai
    from source where realisasi is not null

),

batch_per_tahap as (

    select distinct tahun, unit_kode, tahap, batch_id, landed_at, tanggal_efektif
    from panjang

),

terbaru as (

    {{ baris_terbaru('batch_per_tahap', 'tahun, unit_kode, tahap', 'tanggal_efektif desc, landed_at desc, batch_id desc') }}

),

final as (

    select
        panjang.tahun,
        panjang.unit_kode,
        max(panjang.unit_nama) as unit_nama,
        panjang.program_kode,
        panjang.kegiatan_kode,
        panjang.sub_kegiatan_kode,
        panjang.akun_kode,
        panjang.jenis_belanja_kode,
        panjang.tahap,
        sum(panjang.nilai) as nilai,
        max(panjang.batch_id) as versi_data
    from panjang
    inner join terbaru
        on terbaru.tahun = panjang.tahun
        and terbaru.unit_kode = panjang.unit_kode
        and terbaru.tahap = panjang.tahap
        and terbaru.batch_id = panjang.batch_id
    group by
        panjang.tahun, panjang.unit_kode, panjang.program_kode, panjang.kegiatan_kode,
        panjang.sub_kegiatan_kode, panjang.akun_kode, panjang.jenis_belanja_kode, panjang.tahap

)

select * from final
