-- The indicator catalogue: the repository's seed, with every indicator delivered as data
-- (inbox/katalog/indikator*.csv) added or replacing the seed's row of the same code.
-- Grain: indikator_kode.
with bawaan as (

    select * from {{ ref('indikator') }}

),

kiriman as (

    select * from {{ ref('stg_katalog__indikator') }}

),

final as (

    select
        indikator_kode, indikator_nama, kelompok, sasaran_kode, program_kode, ksd_nama, satuan, polaritas, sumber_data,
        cara_akumulasi, definisi
    from kiriman

    union all

    select
        indikator_kode, indikator_nama, kelompok, sasaran_kode, program_kode, ksd_nama, satuan, polaritas, sumber_data,
        cara_akumulasi, definisi
    from bawaan
    where indikator_kode not in (select indikator_kode from kiriman)

)

select * from final
