-- Omzet of the agency's binaan (var jakpreneur_pembina) per tahun x triwulan, QRIS and e-Order,
-- net of refunds and reversals, against the rencana aksi targets; cumulative within the year, as
-- the report's table 3.3 computes capaian: realisasi kumulatif / target kumulatif x 100.
with umkm as (

    select * from {{ ref('stg_jakpreneur__umkm') }}

),

omzet_triwulan as (

    select * from {{ ref('int_omzet_umkm_triwulan_dijumlah') }}

),

target_renaksi as (

    select * from {{ ref('target_renaksi_umkm') }}
    where ukuran = 'OMZET_BINAAN'

),

binaan as (

    select umkm_id from umkm
    where status_binaan = 'BINAAN' and perangkat_daerah_pembina = '{{ var("jakpreneur_pembina") }}'

),

realisasi as (

    select
        omzet.tahun,
        omzet.periode,
        sum(omzet.omzet_bersih) as realisasi_omzet,
        count(distinct omzet.umkm_id) as jumlah_umkm_bertransaksi,
        (select max(batch_id_terakhir) from omzet_triwulan) as versi_data
    from omzet_triwulan as omzet
    inner join binaan on binaan.umkm_id = omzet.umkm_id
    group by 1, 2

),

target as (

    select tahun, periode, cast(target as decimal(20, 2)) as target_omzet
    from target_renaksi

),

baris as (

    select tahun, periode from realisasi
    union
    select tahun, periode from target

),

kumulatif as (

    select
        baris.tahun,
        baris.periode,
        target.target_omzet,
        cast(coalesce(realisasi.realisasi_omzet, 0) as decimal(20, 2)) as realisasi_omzet,
        cast(sum(target.target_omzet) over (partition by baris.tahun order by baris.periode) as decimal(20, 2)) as target_kumulatif,
        cast(sum(coalesce(realisasi.realisasi_omzet, 0)) over (partition by baris.tahun order by baris.periode) as decimal(20, 2))
            as realisasi_kumulatif,
        coalesce(realisasi.jumlah_umkm_bertransaksi, 0) as jumlah_umkm_bertransaksi,
        realisasi.versi_data
    from baris
    left join realisasi on realisasi.tahun = baris.tahun and realisasi.periode = baris.periode
    left join target on target.tahun = baris.tahun and target.periode = baris.periode

),

final as (

    select
        tahun,
        periode,
        target_omzet,
        realisasi_omzet,
        target_kumulatif,
        realisasi_kumulatif,
        cast(realisasi_kumulatif as double precision) / nullif(cast(target_kumulatif as double precision), 0) * 100 as capaian_persen,
        cast(realisasi_omzet as double precision) / nullif(cast(target_omzet as double precision), 0) * 100 as capaian_triwulan_persen,
        jumlah_umkm_bertransaksi,
        versi_data,
        {{ tanggal_akhir_periode('tahun', 'periode') }} as tanggal_akhir_periode
    from kumulatif

)

select * from final
