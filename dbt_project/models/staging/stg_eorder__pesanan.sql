-- One row per e-Order order as it stands in the latest export that carries it: exports overlap
-- and an order's status moves on (DIPROSES -> SELESAI or DIBATALKAN), so the row with the latest
-- diperbarui_pada wins, then the latest landing.
with source as (

    select * from {{ source('eorder', 'pesanan') }}

),

berurut as (

    select
        *,
        row_number() over (partition by nomor_pesanan order by diperbarui_pada desc, landed_at desc, baris desc) as urutan
    from source

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
    from berurut
    where urutan = 1

)

select * from final
