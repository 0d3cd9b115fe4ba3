-- Latest delivered realisasi per indicator x tahun x periode: a later E-Monev batch corrects an earlier one.
with source as (

    select * from {{ source('emonev', 'realisasi') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by indikator_kode, tahun, periode
            order by landed_at desc, batch_id desc, baris desc
        ) as urutan
    from source

),

final as (

    select
        indikator_kode,
        cast(tahun as integer) as tahun,
        periode,
        cast(realisasi as double) as realisasi,
        keterangan,
        batch_id as versi_data,
        landed_at
    from ranked
    where urutan = 1

)

select * from final
