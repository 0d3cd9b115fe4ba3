-- Pemerataan pemesanan e-Order: completed orders (status SELESAI, latest state of each order) per
-- tahun and the PKT agency whose binaan received them (the UMKM's pembina in the Jakpreneur
-- registry). Every PKT agency has a row for every year with orders, 0 when none of its binaan
-- received an order. Orders to UMKM that are not binaan of a PKT agency are not counted here.
with pesanan as (

    select pesanan.*, umkm.perangkat_daerah_pembina
    from {{ ref('stg_eorder__pesanan') }} as pesanan
    inner join {{ ref('stg_jakpreneur__umkm') }} as umkm
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
    from (select distinct tahun from {{ ref('stg_eorder__pesanan') }}) as tahun
    cross join {{ ref('perangkat_daerah_pkt') }} as pkt

)

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
left join {{ ref('target_renaksi_umkm') }} as target
    on target.tahun = baris.tahun and target.ukuran = 'PEMERATAAN_EORDER' and target.perangkat_daerah_kode = baris.perangkat_daerah_kode
