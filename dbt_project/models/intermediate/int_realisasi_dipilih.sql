-- One realisasi per indicator x tahun x periode. A value computed from an automatic source
-- (BPS, Jakpreneur; added by later sources with a lower prioritas number) takes precedence over
-- the manual E-Monev entry; the E-Monev value is kept beside it for reconciliation.
with emonev_realisasi as (

    select * from {{ ref('stg_emonev__realisasi') }}

),

bps_indikator as (

    select * from {{ ref('int_indikator_bps_dihitung') }}

),

jakpreneur_indikator as (

    select * from {{ ref('int_indikator_jakpreneur_dihitung') }}

),

renstra as (

    select * from {{ ref('int_renstra_periode_dipilih') }}

),

target_indikator as (

    select * from {{ ref('int_target_indikator_dipilih') }}

),

emonev as (

    select
        indikator_kode,
        tahun,
        periode,
        realisasi,
        'EMONEV' as sumber_data,
        versi_data,
        9 as prioritas
    from emonev_realisasi

),

-- Annual BPS values of the agency's own region, within the indicator's Renstra period. The
-- LKIP's TW IV column is the position at year end, so where the Perkin sets a TW IV target it
-- takes the annual figure too. Quarterly y-on-y values go to marts.perbandingan_nasional.
bps as (

    select
        bps.indikator_kode,
        bps.tahun,
        lkip.periode,
        bps.nilai as realisasi,
        'BPS' as sumber_data,
        bps.versi_data,
        1 as prioritas
    from bps_indikator as bps
    inner join renstra
        on renstra.indikator_kode = bps.indikator_kode
        and bps.tahun between renstra.tahun_awal and renstra.tahun_akhir
    cross join (select 'TAHUNAN' as periode union all select 'TW4' as periode) as lkip
    where bps.peran_domain = 'DAERAH' and bps.periode = 'TAHUNAN'
        and (
            lkip.periode = 'TAHUNAN'
            or exists (
                select 1 from target_indikator as target
                where target.indikator_kode = bps.indikator_kode and target.tahun = bps.tahun and target.periode = 'TW4'
            )
        )

),

-- Jakpreneur values (pertumbuhan pelaku UMKM, UMKM meningkat kapasitasnya) within the Renstra
-- period: the annual value, and the quarters of years whose Perkin sets quarterly targets for
-- the indicator (the LKIP reports quarters only there).
jakpreneur as (

    select
        jakpreneur.indikator_kode,
        jakpreneur.tahun,
        jakpreneur.periode,
        jakpreneur.nilai as realisasi,
        'JAKPRENEUR' as sumber_data,
        jakpreneur.versi_data,
        2 as prioritas
    from jakpreneur_indikator as jakpreneur
    inner join renstra
        on renstra.indikator_kode = jakpreneur.indikator_kode
        and jakpreneur.tahun between renstra.tahun_awal and renstra.tahun_akhir
    where jakpreneur.periode = 'TAHUNAN'
        or exists (
            select 1 from target_indikator as target
            where target.indikator_kode = jakpreneur.indikator_kode and target.tahun = jakpreneur.tahun
                and target.jenis_target = 'PERKIN' and target.periode like 'TW%'
        )

),

semua_sumber as (

    select * from emonev
    union all
    select * from bps
    union all
    select * from jakpreneur

),

dipilih as (

    {{ baris_terbaru('semua_sumber', 'indikator_kode, tahun, periode', 'prioritas') }}

),

final as (

    select
        dipilih.indikator_kode,
        dipilih.tahun,
        dipilih.periode,
        dipilih.realisasi,
        dipilih.sumber_data,
        dipilih.versi_data,
        emonev.realisasi as realisasi_emonev
    from dipilih
    left join emonev
        on emonev.indikator_kode = dipilih.indikator_kode
        and emonev.tahun = dipilih.tahun
        and emonev.periode = dipilih.periode

)

select * from final
