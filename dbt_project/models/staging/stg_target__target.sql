-- Latest landed target per indicator x tahun x periode x jenis_target: a later file corrects an earlier one.
with source as (

    select * from {{ source('target', 'target') }}

),

terbaru as (

    {{ baris_terbaru('source', 'indikator_kode, tahun, periode, jenis_target', 'landed_at desc, batch_id desc, baris desc') }}

),

final as (

    select
        indikator_kode,
        cast(tahun as integer) as tahun,
        periode,
        jenis_target,
        cast(target as double precision) as target,
        keterangan,
        batch_id as versi_data
    from terbaru

)

select * from final
