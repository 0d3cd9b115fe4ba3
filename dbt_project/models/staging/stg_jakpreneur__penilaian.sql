-- One row per capacity assessment (penilaian_id); a re-delivered assessment keeps its latest landing.
with source as (

    select * from {{ source('jakpreneur', 'penilaian') }}

),

terbaru as (

    {{ baris_terbaru('source', 'penilaian_id', 'landed_at desc, baris desc') }}

),

final as (

    select
        penilaian_id,
        umkm_id,
        tanggal_penilaian,
        omzet_tahunan,
        aset,
        tenaga_kerja,
        nilai_invoice_ekspor_usd,
        batch_id as versi_data,
        landed_at
    from terbaru

)

select * from final
