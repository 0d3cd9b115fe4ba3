-- One realisasi per indicator x tahun x periode. A value computed from an automatic source
-- (BPS, Jakpreneur; added by later sources with a lower prioritas number) takes precedence over
-- the manual E-Monev entry; the E-Monev value is kept beside it for reconciliation.
with emonev as (

    select
        indikator_kode,
        tahun,
        periode,
        realisasi,
        'EMONEV' as sumber_data,
        versi_data,
        9 as prioritas
    from {{ ref('stg_emonev__realisasi') }}

),

semua_sumber as (

    select * from emonev

),

ranked as (

    select
        *,
        row_number() over (partition by indikator_kode, tahun, periode order by prioritas) as urutan
    from semua_sumber

),

final as (

    select
        ranked.indikator_kode,
        ranked.tahun,
        ranked.periode,
        ranked.realisasi,
        ranked.sumber_data,
        ranked.versi_data,
        emonev.realisasi as realisasi_emonev
    from ranked
    left join emonev
        on emonev.indikator_kode = ranked.indikator_kode
        and emonev.tahun = ranked.tahun
        and emonev.periode = ranked.periode
    where ranked.urutan = 1

)

select * from final
