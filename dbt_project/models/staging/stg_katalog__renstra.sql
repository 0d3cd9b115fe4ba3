-- Latest landed Renstra period per indicator x periode_renstra.
with source as (

    select * from {{ source('katalog', 'renstra') }}

),

terbaru as (

    {{ baris_terbaru('source', 'indikator_kode, periode_renstra', 'landed_at desc, batch_id desc, baris desc') }}

),

final as (

    select
        indikator_kode,
        periode_renstra,
        cast(tahun_awal as integer) as tahun_awal,
        cast(tahun_akhir as integer) as tahun_akhir,
        cast(kondisi_awal as double precision) as kondisi_awal,
        cast(target_akhir_periode as double precision) as target_akhir_periode,
        batch_id as versi_data
    from terbaru

)

select * from final
