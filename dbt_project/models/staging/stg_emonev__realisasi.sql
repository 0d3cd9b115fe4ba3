-- Latest delivered realisasi per indicator x tahun x periode: a later E-Monev batch corrects an earlier one.
with source as (

    select * from {{ source('emonev', 'realisasi') }}

),

terbaru as (

    {{ baris_terbaru('source', 'indikator_kode, tahun, periode', 'landed_at desc, batch_id desc, baris desc') }}

),

final as (

    select
        indikator_kode,
        cast(tahun as integer) as tahun,
        periode,
        cast(realisasi as double precision) as realisasi,
        keterangan,
        batch_id as versi_data,
        landed_at
    from terbaru

)

select * from final
