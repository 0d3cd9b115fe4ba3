-- One row per capacity assessment (penilaian_id); a re-delivered assessment keeps its latest landing.
with source as (

    select * from {{ source('jakpreneur', 'penilaian') }}

),

berurut as (

    select
        *,
        row_number() over (partition by penilaian_id order by landed_at desc, baris desc) as urutan
    from source

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
    from berurut
    where urutan = 1

)

select * from final
