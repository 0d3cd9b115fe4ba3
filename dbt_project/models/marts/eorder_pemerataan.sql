-- Pemerataan pemesanan e-Order: completed orders (status SELESAI, latest state of each order) per
-- tahun and the PKT agency whose binaan received them (the UMKM's pembina in the Jakpreneur
-- registry). Every PKT agency has a row for every year with orders, 0 when none of its binaan
-- received an order. Orders to UMKM that are not binaan of a PKT agency are not counted here.
with semua_pesanan as (

    select * from {{ ref('stg_eorder__pesanan') }}

),

umkm as (

    select * from {{ ref('stg_jakpreneur__umkm') }}

),

pkt as (

    select * from {{ ref('perangkat_daerah_pkt') }}

),

target as (

    select * from {{ ref('target_renaksi_umkm') }}
    where ukuran = 'PEMERATAAN_EORDER'

),

pesanan as (

    select pesanan.*, umkm.perangkat_daerah_pembina
    from semua_pesanan as pesanan
    inner join umkm
        on umkm.umkm_id = pesanan.umkm_id and umkm.status_binaan = 'BINAAN'
    where pesanan.status = 'SELESAI'

),

agregat as (

    select
        tahun,
        perangkat_daerah_pembina,
        count(distinct umkm_id) as jumlah_umkm,
        count(*) as jumlah_transaksi,
        sum(nilai_pesanan) as nilai_transaksi,
        max(versi_data) as versi_data
    from pesanan
    group by 1, 2

),

baris as (

    select tahun.tahun, pkt.perangkat_daerah_kode, pkt.perangkat_daerah_nama, pkt.urutan
    from (select distinct tahun from semua_pesanan) as tahun
    cross join pkt

),

final as (

    select
        baris.tahun,
        baris.perangkat_daerah_kode as perangkat_daerah_pembina,
        baris.perangkat_daerah_nama,
        coalesce(agregat.jumlah_umkm, 0) as jumlah_umkm,
        coalesce(agregat.jumlah_transaksi, 0) as jumlah_transaksi,
        cast(coalesce(agregat.nilai_transaksi, 0) as decimal(20, 2)) as nilai_transaksi,
        cast(target.target as integer) as target_jumlah_umkm,
        agregat.versi_data
    from baris
    left join agregat
        on agregat.tahun = baris.tahun and agregat.perangkat_daerah_pembina = baris.perangkat_daerah_kode
    left join target
        on target.tahun = baris.tahun and target.perangkat_daerah_kode = baris.perangkat_daerah_kode

)

select * from final
