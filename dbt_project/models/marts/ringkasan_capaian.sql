-- Averages of capaian per group, as the report's RATA-RATA rows: each indicator weighs the same,
-- capaian above 110 % counts as 110 %, indicators whose data is not released are left out and counted.
with capaian as (

    select * from {{ ref('capaian_indikator') }}

),

outlook as (

    select * from {{ ref('outlook_sasaran_strategis') }}

),

efisiensi as (

    select * from {{ ref('efisiensi_sasaran') }}

),

berkelompok as (

    select
        case
            when jenis_target = 'PERKIN' then 'PERKIN'
            when kelompok = 'PROGRAM' and jenis_target = 'RENSTRA' then 'PROGRAM'
            when kelompok = 'KSD' and jenis_target = 'RENAKSI' then 'KSD'
        end as kelompok_ringkasan,
        tahun,
        periode,
        jenis_target,
        status_data,
        capaian_dihitung_persen
    from capaian
    where status_data <> 'TANPA_TARGET'

),

outlook_panjang as (

    select 'OUTLOOK_PERKIN' as kelompok_ringkasan, tahun, 'TAHUNAN' as periode, 'PERKIN' as jenis_target,
        case when capaian_perkin_dihitung_persen is null then 'BELUM_RILIS' else 'TERSEDIA' end as status_data,
        capaian_perkin_dihitung_persen as capaian_dihitung_persen
    from outlook
    where target_perkin is not null
    union all
    select 'OUTLOOK_RENSTRA', tahun, 'TAHUNAN', 'RENSTRA',
        case when capaian_renstra_dihitung_persen is null then 'BELUM_RILIS' else 'TERSEDIA' end,
        capaian_renstra_dihitung_persen
    from outlook
    where target_renstra is not null
    union all
    select 'OUTLOOK_AKHIR_PERIODE', tahun, 'TAHUNAN', 'RENSTRA',
        case when capaian_akhir_periode_dihitung_persen is null then 'BELUM_RILIS' else 'TERSEDIA' end,
        capaian_akhir_periode_dihitung_persen
    from outlook
    where target_akhir_periode is not null

),

semua as (

    select * from berkelompok where kelompok_ringkasan is not null
    union all
    select * from outlook_panjang

),

rata_rata as (

    select
        kelompok_ringkasan,
        tahun,
        periode,
        jenis_target,
        -- summed as DECIMAL: a float sum depends on the order of aggregation, and a re-run must
        -- give identical figures
        cast(
            sum(case when status_data = 'TERSEDIA' then cast(capaian_dihitung_persen as decimal(38, 12)) end)
            / nullif(sum(case when status_data = 'TERSEDIA' then 1 else 0 end), 0)
            as double precision
        ) as rata_rata_capaian_persen,
        cast(count(*) as bigint) as jumlah_indikator,
        cast(sum(case when status_data = 'TERSEDIA' then 1 else 0 end) as bigint) as jumlah_dihitung,
        cast(sum(case when status_data = 'BELUM_RILIS' then 1 else 0 end) as bigint) as jumlah_belum_rilis
    from semua
    group by kelompok_ringkasan, tahun, periode, jenis_target

),

-- RATA-RATA EFISIENSI of table 3.19: the mean over the sasaran of the efficiency as the report
-- computes it (marts.efisiensi_sasaran has both methods); no kriteria band applies to it.
rata_rata_efisiensi as (

    select
        'EFISIENSI' as kelompok_ringkasan,
        tahun,
        'TAHUNAN' as periode,
        'RENSTRA' as jenis_target,
        cast(sum(cast(efisiensi_metode_lkip_persen as decimal(38, 12))) / count(*) as double precision) as rata_rata_capaian_persen,
        cast(null as varchar) as kriteria,
        cast(count(*) as bigint) as jumlah_indikator,
        cast(count(*) as bigint) as jumlah_dihitung,
        cast(0 as bigint) as jumlah_belum_rilis,
        {{ tanggal_akhir_periode('tahun', "'TAHUNAN'") }} as tanggal_akhir_periode
    from efisiensi
    group by tahun

),

final as (

    select
        kelompok_ringkasan,
        tahun,
        periode,
        jenis_target,
        rata_rata_capaian_persen,
        {{ kriteria('rata_rata_capaian_persen') }} as kriteria,
        jumlah_indikator,
        jumlah_dihitung,
        jumlah_belum_rilis,
        {{ tanggal_akhir_periode('tahun', 'periode') }} as tanggal_akhir_periode
    from rata_rata

    union all

    select * from rata_rata_efisiensi

)

select * from final
