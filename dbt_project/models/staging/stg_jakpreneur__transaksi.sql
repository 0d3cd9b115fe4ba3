-- Every landed Jakpreneur transaction (QRIS and e-Order turnover), as typed at landing. A
-- transaction re-delivered by an overlapping export was landed once, so no row picking is needed
-- here; the source is a view over the landed Parquet files, and so is this model (nothing copied).
with source as (

    select * from {{ source('jakpreneur', 'transaksi') }}

),

final as (

    select
        batch_id,
        landed_at,
        transaksi_id,
        umkm_id,
        waktu,
        kanal,
        jenis,
        nominal,
        transaksi_asal_id
    from source

)

select * from final
