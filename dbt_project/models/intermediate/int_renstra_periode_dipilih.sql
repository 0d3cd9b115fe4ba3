-- Renstra periods of the strategic indicators: the seed's (Renstra 2023-2026) and every period
-- delivered as data (inbox/katalog/renstra*.csv), which replaces the seed's row of the same
-- indicator and period. Grain: indikator_kode x periode_renstra.
with bawaan as (

    select * from {{ ref('renstra_periode') }}

),

kiriman as (

    select * from {{ ref('stg_katalog__renstra') }}

),

final as (

    select indikator_kode, periode_renstra, tahun_awal, tahun_akhir, kondisi_awal, target_akhir_periode
    from kiriman

    union all

    select indikator_kode, periode_renstra, tahun_awal, tahun_akhir, kondisi_awal, target_akhir_periode
    from bawaan
    where not exists (
        select 1 from kiriman
        where kiriman.indikator_kode = bawaan.indikator_kode and kiriman.periode_renstra = bawaan.periode_renstra
    )

)

select * from final
