-- The indicator tables of the LKIP (3.2, 3.5, 3.6, 3.11, 3.12, 3.13, 3.14; typed from the report
-- into the lkip_terbitan seed) beside what the warehouse computes from source data: target,
-- realisasi and capaian from marts.capaian_indikator, averages and kriteria from
-- marts.ringkasan_capaian, the outlook of table 3.13 from marts.outlook_sasaran_strategis and the
-- national comparison of table 3.14 from marts.perbandingan_nasional; with a status and a one-line
-- explanation.
with terbitan as (

    select * from {{ ref('lkip_terbitan') }}

),

penjelasan as (

    select * from {{ ref('penjelasan_selisih') }}

),

capaian as (

    select * from {{ ref('capaian_indikator') }}

),

ringkasan as (

    select * from {{ ref('ringkasan_capaian') }}

),

outlook as (

    select * from {{ ref('outlook_sasaran_strategis') }}

),

katalog as (

    select * from {{ ref('int_indikator_dipilih') }}

),

nasional as (

    select * from {{ ref('perbandingan_nasional') }}

),

-- What the report's own printed target and realisasi give, to tell a wrong printed capaian
-- from a difference in the data.
dari_baris_terbitan as (

    select
        t.tabel, t.indikator_kode, t.tahun, t.periode,
        {{ capaian_persen('r.nilai_terbitan', 't.nilai_terbitan', 'k.polaritas') }} as capaian_dari_baris_terbitan,
        t.nilai_terbitan as target_terbitan,
        r.nilai_terbitan as realisasi_terbitan
    from terbitan as t
    inner join terbitan as r
        on r.tabel = t.tabel and r.indikator_kode = t.indikator_kode and r.tahun = t.tahun
        and r.periode = t.periode and r.ukuran = 'REALISASI' and t.ukuran = 'TARGET'
    inner join katalog as k on k.indikator_kode = t.indikator_kode

),

dibandingkan as (

    select
        terbitan.tabel,
        terbitan.baris,
        terbitan.kolom,
        terbitan.ukuran,
        terbitan.indikator_kode,
        terbitan.kelompok_ringkasan,
        terbitan.tahun,
        terbitan.periode,
        terbitan.jenis_target,
        terbitan.teks_terbitan,
        cast(terbitan.nilai_terbitan as double precision) as nilai_terbitan,
        terbitan.desimal,
        case
            when terbitan.tabel = '3.13' and terbitan.indikator_kode is not null then
                case terbitan.ukuran
                    when 'REALISASI_TAHUN_SEBELUMNYA' then outlook.realisasi_tahun_sebelumnya
                    when 'REALISASI' then outlook.realisasi
                    when 'KONDISI_AKHIR' then outlook.kondisi_akhir
                    when 'TARGET_PERKIN' then outlook.target_perkin
                    when 'CAPAIAN_PERKIN' then outlook.capaian_perkin_persen
                    when 'TARGET_RENSTRA' then outlook.target_renstra
                    when 'CAPAIAN_RENSTRA' then outlook.capaian_renstra_persen
                    when 'TARGET_AKHIR_PERIODE' then outlook.target_akhir_periode
                    when 'CAPAIAN_AKHIR_PERIODE' then outlook.capaian_akhir_periode_persen
                end
            when terbitan.ukuran = 'NILAI_DAERAH' then nasional.nilai_daerah
            when terbitan.ukuran = 'NILAI_NASIONAL' then nasional.nilai_nasional
            when terbitan.ukuran = 'TARGET' then capaian.target
            when terbitan.ukuran = 'REALISASI' then capaian.realisasi
            when terbitan.ukuran = 'CAPAIAN' then capaian.capaian_persen
            when terbitan.ukuran = 'RATA_RATA' then ringkasan.rata_rata_capaian_persen
        end as nilai_hitung,
        case when terbitan.ukuran = 'KRITERIA' then ringkasan.kriteria end as kriteria_hitung,
        capaian.status_data,
        katalog.sumber_data as sumber_katalog,
        coalesce(capaian.versi_data, nasional.versi_data_daerah) as versi_data,
        ringkasan.jumlah_dihitung,
        dari_baris_terbitan.capaian_dari_baris_terbitan,
        dari_baris_terbitan.target_terbitan,
        dari_baris_terbitan.realisasi_terbitan
    from terbitan
    left join capaian
        on capaian.indikator_kode = terbitan.indikator_kode
        and capaian.tahun = terbitan.tahun
        and capaian.periode = terbitan.periode
        and capaian.jenis_target = terbitan.jenis_target
    left join ringkasan
        on ringkasan.kelompok_ringkasan = terbitan.kelompok_ringkasan
        and ringkasan.tahun = terbitan.tahun
        and ringkasan.periode = terbitan.periode
    left join outlook
        on outlook.indikator_kode = terbitan.indikator_kode
        and outlook.tahun = terbitan.tahun
    left join nasional
        on nasional.indikator_kode = terbitan.indikator_kode
        and nasional.tahun = terbitan.tahun
        and nasional.periode = terbitan.periode
        and terbitan.tabel = '3.14'
    left join katalog on katalog.indikator_kode = terbitan.indikator_kode
    left join dari_baris_terbitan
        on dari_baris_terbitan.tabel = terbitan.tabel
        and dari_baris_terbitan.indikator_kode = terbitan.indikator_kode
        and dari_baris_terbitan.tahun = terbitan.tahun
        and dari_baris_terbitan.periode = terbitan.periode
        and terbitan.ukuran = 'CAPAIAN'

),

-- A kriteria matches as text; two N/A match; otherwise within half a unit of the last printed
-- digit (status_rekonsiliasi in dbt_project/macros/rekonsiliasi.sql applies the same tolerance).
berstatus as (

    select
        *,
        case
            when ukuran = 'KRITERIA' then
                case
                    when kriteria_hitung is null then 'TIDAK_DAPAT_DIHITUNG'
                    when lower(kriteria_hitung) = lower(teks_terbitan) then 'COCOK'
                    else 'SELISIH'
                end
            when nilai_terbitan is null and nilai_hitung is null then 'COCOK'
            when nilai_hitung is null then 'TIDAK_DAPAT_DIHITUNG'
            when nilai_terbitan is null then 'SELISIH'
            when abs(nilai_hitung - nilai_terbitan) <= 0.5 * power(10.0, -desimal) + 0.000000001 then 'COCOK'
            else 'SELISIH'
        end as status
    from dibandingkan

),

-- Indicators the report printed as N/A that now have a realisasi (a release landed since).
dirilis_kemudian as (

    select tahun, count(distinct indikator_kode) as jumlah, string_agg(distinct indikator_kode, ', ' order by indikator_kode) as kode
    from berstatus
    where ukuran = 'REALISASI' and upper(teks_terbitan) like 'N/A%' and nilai_hitung is not null
    group by tahun

),

dijelaskan as (

    select
        berstatus.*,
        coalesce(
            -- an analyst's note explains a difference; once the figures agree it no longer applies
            case when berstatus.status <> 'COCOK' then penjelasan.penjelasan end,
            case
                when berstatus.status = 'COCOK' and berstatus.nilai_terbitan is null and upper(berstatus.teks_terbitan) like 'N/A%'
                    then 'Not released when the report went out: the warehouse marks it BELUM_RILIS and leaves it out of every average.'
                when berstatus.status = 'COCOK' and berstatus.nilai_terbitan is null
                    then 'No target that year (' || berstatus.teks_terbitan || '): no row in the warehouse either.'
                when berstatus.status = 'COCOK' then null
                when berstatus.nilai_terbitan is null and upper(berstatus.teks_terbitan) like 'N/A%' and berstatus.nilai_hitung is not null
                    then 'Published N/A: the data was not released when the report went out; computed since from '
                        || coalesce(berstatus.sumber_katalog, 'its source') || coalesce(' (' || berstatus.versi_data || ')', '') || '.'
                when berstatus.sumber_katalog = 'BPS'
                    then 'Uses BPS data released after the report went out' || coalesce(' (' || berstatus.versi_data || ')', '')
                        || ': periods then N/A now have values, and BPS revises earlier years in each release.'
                when berstatus.ukuran = 'RATA_RATA' and dirilis_kemudian.jumlah > 0
                    and berstatus.kelompok_ringkasan in ('PERKIN', 'OUTLOOK_PERKIN', 'OUTLOOK_RENSTRA', 'OUTLOOK_AKHIR_PERIODE')
                    then 'The average now counts ' || cast(dirilis_kemudian.jumlah as varchar) || ' indicator(s) released after the report went out ('
                        || dirilis_kemudian.kode || '), which the report left out as N/A.'
                when berstatus.ukuran = 'CAPAIAN' and berstatus.capaian_dari_baris_terbitan is not null
                    and abs(berstatus.capaian_dari_baris_terbitan - berstatus.nilai_hitung) < 0.0001
                    then 'The printed capaian does not follow from the printed target ' || {{ teks_angka("berstatus.target_terbitan") }}
                        || ' and realisasi ' || {{ teks_angka("berstatus.realisasi_terbitan") }} || ', which give '
                        || {{ teks_angka(round_to("berstatus.capaian_dari_baris_terbitan", 2)) }} || ' %.'
            end,
            'Not explained yet: check the source data and the published figure.'
        ) as penjelasan
    from berstatus
    left join dirilis_kemudian on dirilis_kemudian.tahun = berstatus.tahun
    left join penjelasan
        on penjelasan.tabel = berstatus.tabel
        and penjelasan.ukuran = berstatus.ukuran
        and penjelasan.kunci = coalesce(berstatus.indikator_kode, berstatus.kelompok_ringkasan)
        and penjelasan.tahun = berstatus.tahun
        and penjelasan.periode = berstatus.periode

),

final as (

    select
        tabel,
        baris,
        kolom,
        ukuran,
        indikator_kode,
        kelompok_ringkasan,
        tahun,
        periode,
        teks_terbitan,
        nilai_terbitan,
        coalesce({{ teks_angka(round_to("nilai_hitung", 4)) }}, kriteria_hitung, status_data) as teks_hitung,
        nilai_hitung,
        nilai_hitung - nilai_terbitan as selisih,
        status,
        penjelasan
    from dijelaskan

)

select * from final
