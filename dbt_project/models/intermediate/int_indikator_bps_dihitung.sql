-- Indicators computed from BPS PDRB, per domain, tahun and periode:
--   kontribusi  = series ADHB / total PDRB ADHB x 100                       (same period)
--   pertumbuhan = (series ADHK period n - same period of year n-1) / year n-1 x 100
-- Industri = industri pengolahan (C) minus its oil-and-gas part (C_MIGAS); perdagangan = G.
-- For a quarter, pertumbuhan is year-on-year. `nilai` is rounded to 2 decimals as BPS publishes
-- rates (capaian is computed from it, as the LKIP does); `nilai_presisi` keeps the exact ratio.
-- versi_data is the newest vintage among the figures the value was computed from.
with pdrb as (

    select * from {{ ref('stg_bps__pdrb') }}

),

katalog as (

    select * from {{ ref('indikator_bps') }}

),

lebar as (

    select
        domain,
        harga,
        tahun,
        periode,
        max(case when seri = 'TOTAL' then nilai end) as total,
        max(case when seri = 'C' then nilai end) - max(case when seri = 'C_MIGAS' then nilai end) as industri_nonmigas,
        max(case when seri = 'G' then nilai end) as perdagangan,
        max(case when seri = 'TOTAL' then versi_data end) as versi_total,
        max(case when seri in ('C', 'C_MIGAS') then versi_data end) as versi_industri_nonmigas,
        max(case when seri = 'G' then versi_data end) as versi_perdagangan
    from pdrb
    group by domain, harga, tahun, periode

),

seri as (

    select domain, harga, tahun, periode, 'INDUSTRI_NONMIGAS' as seri_pdrb, industri_nonmigas as nilai, total,
        versi_industri_nonmigas as versi_seri, versi_total
    from lebar
    union all
    select domain, harga, tahun, periode, 'PERDAGANGAN' as seri_pdrb, perdagangan as nilai, total,
        versi_perdagangan as versi_seri, versi_total
    from lebar

),

kontribusi as (

    select
        domain, tahun, periode, seri_pdrb, 'KONTRIBUSI' as ukuran,
        cast(nilai as double precision) / cast(total as double precision) * 100 as nilai_presisi,
        greatest(versi_seri, versi_total) as versi_data
    from seri
    where harga = 'ADHB' and nilai is not null and total > 0

),

pertumbuhan as (

    select
        kini.domain, kini.tahun, kini.periode, kini.seri_pdrb, 'PERTUMBUHAN' as ukuran,
        (cast(kini.nilai as double precision) - cast(lalu.nilai as double precision)) / cast(lalu.nilai as double precision) * 100 as nilai_presisi,
        greatest(kini.versi_seri, lalu.versi_seri) as versi_data
    from seri as kini
    inner join seri as lalu
        on lalu.domain = kini.domain
        and lalu.harga = kini.harga
        and lalu.seri_pdrb = kini.seri_pdrb
        and lalu.periode = kini.periode
        and lalu.tahun = kini.tahun - 1
    where kini.harga = 'ADHK' and kini.nilai is not null and lalu.nilai > 0

),

ukuran as (

    select * from kontribusi
    union all
    select * from pertumbuhan

),

final as (

    select
        katalog.indikator_kode,
        ukuran.domain,
        case ukuran.domain
            when '{{ var("bps_domain_daerah") }}' then 'DAERAH'
            when '{{ var("bps_domain_nasional") }}' then 'NASIONAL'
        end as peran_domain,
        ukuran.tahun,
        ukuran.periode,
        {{ round_to("ukuran.nilai_presisi", 2) }} as nilai,
        ukuran.nilai_presisi,
        ukuran.versi_data
    from ukuran
    inner join katalog
        on katalog.ukuran = ukuran.ukuran
        and katalog.seri_pdrb = ukuran.seri_pdrb

)

select * from final
