-- Latest landed row of each indicator delivered in inbox/katalog/ (a later file changes an earlier one).
with source as (

    select * from {{ source('katalog', 'indikator') }}

),

terbaru as (

    {{ baris_terbaru('source', 'indikator_kode', 'landed_at desc, batch_id desc, baris desc') }}

),

final as (

    select
        indikator_kode,
        indikator_nama,
        kelompok,
        sasaran_kode,
        program_kode,
        ksd_nama,
        satuan,
        polaritas,
        coalesce(sumber_data, 'EMONEV') as sumber_data,
        coalesce(cara_akumulasi, 'NILAI_TERAKHIR') as cara_akumulasi,
        definisi,
        batch_id as versi_data
    from terbaru

)

select * from final
