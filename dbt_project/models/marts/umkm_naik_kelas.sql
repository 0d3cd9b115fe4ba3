-- UMKM naik kelas per tahun: binaan of the agency (var jakpreneur_pembina) whose omzet (QRIS and
-- e-Order, net of refunds and reversals) in the year is above their omzet of the year before.
-- Only UMKM that sold in both years can be compared; the first year with transactions has no
-- previous year, so its count is empty rather than 0.
with umkm as (

    select * from {{ ref('stg_jakpreneur__umkm') }}

),

omzet_triwulan as (

    select * from {{ ref('int_omzet_umkm_triwulan_dijumlah') }}

),

target as (

    select * from {{ ref('target_renaksi_umkm') }}
    where ukuran = 'UMKM_NAIK_KELAS'

),

binaan as (

    select umkm_id from umkm
    where status_binaan = 'BINAAN' and perangkat_daerah_pembina = '{{ var("jakpreneur_pembina") }}'

),

per_tahun as (

    select omzet.umkm_id, omzet.tahun, sum(omzet.omzet_bersih) as omzet, (select max(batch_id_terakhir) from omzet_triwulan) as versi_data
    from omzet_triwulan as omzet
    inner join binaan on binaan.umkm_id = omzet.umkm_id
    group by 1, 2

),

tahun_data as (

    select distinct tahun from per_tahun

),

per_tahun_dibandingkan as (

    select
        ini.tahun,
        case when ini.tahun - 1 in (select tahun from tahun_data)
            then count(*) filter (where lalu.omzet is not null and ini.omzet > lalu.omzet)
        end as jumlah_umkm_naik_kelas,
        count(*) as jumlah_umkm_bertransaksi,
        count(*) filter (where lalu.omzet is not null) as jumlah_umkm_bertransaksi_dua_tahun,
        cast(sum(ini.omzet) as decimal(20, 2)) as omzet_tahun,
        max(ini.versi_data) as versi_data
    from per_tahun as ini
    left join per_tahun as lalu on lalu.umkm_id = ini.umkm_id and lalu.tahun = ini.tahun - 1
    group by ini.tahun

),

final as (

    select
        dibandingkan.tahun,
        dibandingkan.jumlah_umkm_naik_kelas,
        dibandingkan.jumlah_umkm_bertransaksi,
        dibandingkan.jumlah_umkm_bertransaksi_dua_tahun,
        cast(target.target as integer) as target_naik_kelas,
        dibandingkan.omzet_tahun,
        dibandingkan.versi_data
    from per_tahun_dibandingkan as dibandingkan
    left join target on target.tahun = dibandingkan.tahun

)

select * from final
