-- The targets every capaian is measured against: those delivered as data (inbox/target/) and, for
-- every key no delivery has set, the repository's seed (the defaults that reproduce the 2024
-- report). Grain: indikator_kode x tahun x periode x jenis_target.
with bawaan as (

    select * from {{ ref('target_indikator') }}

),

kiriman as (

    select * from {{ ref('stg_target__target') }}

),

final as (

    select indikator_kode, tahun, periode, jenis_target, target, 'INBOX' as asal_target, versi_data
    from kiriman

    union all

    select
        bawaan.indikator_kode, bawaan.tahun, bawaan.periode, bawaan.jenis_target, cast(bawaan.target as double precision) as target,
        'SEED' as asal_target, cast(null as varchar) as versi_data
    from bawaan
    where not exists (
        select 1 from kiriman
        where kiriman.indikator_kode = bawaan.indikator_kode and kiriman.tahun = bawaan.tahun
            and kiriman.periode = bawaan.periode and kiriman.jenis_target = bawaan.jenis_target
    )

)

select * from final
