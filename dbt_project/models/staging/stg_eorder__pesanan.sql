-- One row per e-Order order as it stands in the latest export that carries it: exports overlap
-- and an order's status moves on (DIPROSES -> SELESAI or DIBATALKAN), so the row with the latest
-- diperbarui_pada wins, then the latest landing.
with source as (

    select * from {{ source('eorder', 'pesanan') }}

),

terbaru as (

    {{ baris_terbaru('source', 'nomor_pesanan', 'diperbarui_pada desc, landed_at desc, baris desc') }}

),

final as (

    select
        nomor_pesanan,
        tanggal_pesanan,
        cast(extract(year from tanggal_pesanan) as integer) as tahun,
        perangkat_daerah_pemesan,
        umkm_id,
        nilai_pesanan,
        status,
        diperbarui_pada,
        batch_id as versi_data
    from terbaru

)

select * from final
