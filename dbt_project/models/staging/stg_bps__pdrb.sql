-- The current figure of every BPS series x domain x harga x tahun x periode, with the vintage
-- (landed batch) in which that figure first appeared: a later batch repeating an unchanged
-- figure keeps its original vintage; a revised figure gets the vintage that revised it.
with source as (

    select * from {{ source('bps', 'pdrb') }}
    where seri is not null and nilai is not null

),

urut as (

    select
        *,
        lag(nilai) over (
            partition by domain, harga, seri, tahun, periode
            order by landed_at, batch_id, baris
        ) as nilai_sebelumnya
    from source

),

-- rows where the figure is new or differs from the previous vintage
perubahan as (

    select * from urut
    where nilai_sebelumnya is null or nilai_sebelumnya <> nilai

),

-- the latest change is the current figure, and its batch the vintage that set it
terbaru as (

    {{ baris_terbaru('perubahan', 'domain, harga, seri, tahun, periode', 'landed_at desc, batch_id desc, baris desc') }}

),

final as (

    select
        domain,
        harga,
        seri,
        uraian,
        cast(tahun as integer) as tahun,
        periode,
        nilai,
        status_angka,
        batch_id as versi_data,
        landed_at as versi_landed_at
    from terbaru

)

select * from final
