-- Every published figure of the LKIP (typed from the report into the lkip_terbitan seed) beside
-- what the warehouse computes from source data, with a status and a one-line explanation.
-- Also, for indicators whose realisasi comes from an automatic source, the manual E-Monev value
-- beside the computed one (tabel = 'E-MONEV').
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

    select * from {{ ref('indikator') }}

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
        cast(terbitan.nilai_terbitan as double) as nilai_terbitan,
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
                    then 'The printed capaian does not follow from the printed target ' || cast(berstatus.target_terbitan as varchar)
                        || ' and realisasi ' || cast(berstatus.realisasi_terbitan as varchar) || ', which give '
                        || cast(round(berstatus.capaian_dari_baris_terbitan, 2) as varchar) || ' %.'
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

dari_laporan as (

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
        coalesce(cast(round(nilai_hitung, 4) as varchar), kriteria_hitung, status_data) as teks_hitung,
        nilai_hitung,
        nilai_hitung - nilai_terbitan as selisih,
        status,
        penjelasan
    from dijelaskan

),

-- Manual E-Monev entries of indicators that an automatic source now computes.
emonev_vs_otomatis as (

    select
        'E-MONEV' as tabel,
        dipilih.indikator_kode || ' ' || katalog.indikator_nama as baris,
        'Realisasi ' || dipilih.periode as kolom,
        'REALISASI' as ukuran,
        dipilih.indikator_kode,
        cast(null as varchar) as kelompok_ringkasan,
        dipilih.tahun,
        dipilih.periode,
        cast(dipilih.realisasi_emonev as varchar) as teks_terbitan,
        dipilih.realisasi_emonev as nilai_terbitan,
        cast(dipilih.realisasi as varchar) as teks_hitung,
        dipilih.realisasi as nilai_hitung,
        dipilih.realisasi - dipilih.realisasi_emonev as selisih,
        case when abs(dipilih.realisasi - dipilih.realisasi_emonev) <= 0.005 then 'COCOK' else 'SELISIH' end as status,
        case
            when abs(dipilih.realisasi - dipilih.realisasi_emonev) <= 0.005 then null
            else 'The E-Monev entry differs from the value computed from ' || dipilih.sumber_data
                || ' (' || dipilih.versi_data || '), which takes precedence.'
        end as penjelasan
    from {{ ref('int_realisasi_dipilih') }} as dipilih
    inner join katalog on katalog.indikator_kode = dipilih.indikator_kode
    where dipilih.sumber_data <> 'EMONEV' and dipilih.realisasi_emonev is not null

),

-- Budget tables (1.4-1.7, 2.7-2.10, 3.7-3.10: rupiah, to the rupiah) and the efficiency of table
-- 3.19 (percent, 2 decimals) beside marts.serapan_anggaran and marts.efisiensi_sasaran.
anggaran_terbitan as (

    select * from {{ ref('anggaran_terbitan') }}

),

-- what the report's own rows add up to, per table, year and column
jumlah_baris as (

    select tabel, tahun, ukuran, sum(nilai_terbitan) as jumlah
    from anggaran_terbitan
    where kode <> 'TOTAL' and ukuran not in ('EFISIENSI', 'SERAPAN')
    group by tabel, tahun, ukuran

),

-- a printed row that repeats another row of the same table, year and column
baris_tersalin as (

    select a.tabel, a.kode, a.tahun, a.ukuran, min(b.kode) as kode_asal
    from anggaran_terbitan as a
    inner join anggaran_terbitan as b
        on b.tabel = a.tabel and b.tahun = a.tahun and b.ukuran = a.ukuran and b.kode <> a.kode
        and b.nilai_terbitan = a.nilai_terbitan and a.nilai_terbitan > 0 and a.kode <> 'TOTAL'
    group by a.tabel, a.kode, a.tahun, a.ukuran

),

anggaran_dihitung as (

    select
        t.*,
        case
            when t.ukuran = 'EFISIENSI' and t.kode = 'TOTAL' then ringkasan.rata_rata_capaian_persen
            when t.ukuran = 'EFISIENSI' then efisiensi.efisiensi_metode_lkip_persen
            when t.ukuran = 'SERAPAN' then serapan.serapan_persen
            -- no SIPD line for a member in a year that has SIPD data means no budget: 0
            when tahun_sipd.tahun is not null then coalesce(cast(
                case t.ukuran
                    when 'APBD' then serapan.pagu_apbd
                    when 'PERGESERAN' then serapan.pagu_pergeseran
                    when 'APBD_P' then serapan.pagu_apbdp
                    when 'REALISASI' then serapan.realisasi
                end as double
            ), 0)
        end as nilai_hitung,
        case when t.ukuran in ('EFISIENSI', 'SERAPAN') then 2 else 0 end as desimal
    from anggaran_terbitan as t
    left join {{ ref('serapan_anggaran') }} as serapan
        on serapan.tahun = t.tahun
        and serapan.dimensi = case when t.kode = 'TOTAL' then 'TOTAL' else t.dimensi end
        and serapan.kode = case
            when t.kode = 'TOTAL' then 'TOTAL'
            when t.dimensi = 'UNIT' then '{{ var("sipd_kode_unit_prefix") }}' || lpad(t.kode, 4, '0')
            else t.kode
        end
        and t.ukuran <> 'EFISIENSI'
    left join {{ ref('efisiensi_sasaran') }} as efisiensi
        on efisiensi.tahun = t.tahun and efisiensi.sasaran_kode = t.kode and t.ukuran = 'EFISIENSI'
    left join ringkasan
        on ringkasan.kelompok_ringkasan = 'EFISIENSI' and ringkasan.tahun = t.tahun and t.ukuran = 'EFISIENSI'
    left join (select distinct tahun from {{ ref('serapan_anggaran') }} where dimensi = 'TOTAL') as tahun_sipd
        on tahun_sipd.tahun = t.tahun and t.ukuran <> 'EFISIENSI'

),

anggaran_vs_terbitan as (

    select
        d.tabel,
        d.nama as baris,
        case d.ukuran when 'EFISIENSI' then 'Efisiensi' when 'SERAPAN' then '%' else replace(d.ukuran, '_', '-') end
            || ' ' || cast(d.tahun as varchar) as kolom,
        case when d.ukuran in ('EFISIENSI', 'SERAPAN') then d.ukuran else 'ANGGARAN_' || d.ukuran end as ukuran,
        cast(null as varchar) as indikator_kode,
        case when d.ukuran = 'EFISIENSI' and d.kode = 'TOTAL' then 'EFISIENSI' end as kelompok_ringkasan,
        d.tahun,
        'TAHUNAN' as periode,
        case when d.desimal > 0 then cast(d.nilai_terbitan as varchar) else cast(cast(d.nilai_terbitan as bigint) as varchar) end as teks_terbitan,
        cast(d.nilai_terbitan as double) as nilai_terbitan,
        case when d.desimal > 0 then cast(round(d.nilai_hitung, 4) as varchar) else cast(cast(d.nilai_hitung as bigint) as varchar) end as teks_hitung,
        d.nilai_hitung,
        d.nilai_hitung - cast(d.nilai_terbitan as double) as selisih,
        {{ status_rekonsiliasi('d.nilai_hitung', 'd.nilai_terbitan', 'd.desimal') }} as status,
        d.kode,
        d.ukuran as ukuran_asal
    from anggaran_dihitung as d

),

anggaran_dijelaskan as (

    select
        v.tabel, v.baris, v.kolom, v.ukuran, v.indikator_kode, v.kelompok_ringkasan, v.tahun, v.periode,
        v.teks_terbitan, v.nilai_terbitan, v.teks_hitung, v.nilai_hitung, v.selisih, v.status,
        case
            when v.status <> 'COCOK' and penjelasan.penjelasan is not null then penjelasan.penjelasan
            when v.status <> 'COCOK' and tersalin.kode_asal is not null
                then 'The printed figure is the same as row ' || tersalin.kode_asal || ' of the same table (' || v.teks_terbitan
                    || '), a row copied by mistake; the SIPD data gives ' || coalesce(v.teks_hitung, 'no budget for it') || '.'
            when v.kode = 'TOTAL' and jumlah.jumlah is not null and jumlah.jumlah <> cast(v.nilai_terbitan as decimal(20, 2))
                then 'The report''s own rows add up to ' || cast(cast(jumlah.jumlah as bigint) as varchar) || ', '
                    || cast(cast(jumlah.jumlah - cast(v.nilai_terbitan as decimal(20, 2)) as bigint) as varchar) || ' more than this printed total.'
            when v.status = 'TIDAK_DAPAT_DIHITUNG' then 'No SIPD data for this year and stage in the landing zone.'
            when v.status <> 'COCOK' then 'Not explained yet: check the source data and the published figure.'
        end as penjelasan
    from anggaran_vs_terbitan as v
    left join baris_tersalin as tersalin
        on tersalin.tabel = v.tabel and tersalin.kode = v.kode and tersalin.tahun = v.tahun and tersalin.ukuran = v.ukuran_asal
    left join jumlah_baris as jumlah
        on jumlah.tabel = v.tabel and jumlah.tahun = v.tahun and jumlah.ukuran = v.ukuran_asal
    left join penjelasan
        on penjelasan.tabel = v.tabel and penjelasan.ukuran = v.ukuran and penjelasan.kunci = v.kode
        and penjelasan.tahun = v.tahun and penjelasan.periode = v.periode

)

,

-- Rencana aksi outputs computed from Jakpreneur and e-Order (tables 3.3 and 3.4): omzet of binaan
-- per quarter and cumulative, UMKM naik kelas, e-Order pemerataan (summed over the PKT agencies).
renaksi_dihitung as (

    select
        t.*,
        case t.ukuran
            when 'OMZET_TARGET' then cast(omzet.target_omzet as double)
            when 'OMZET_REALISASI' then cast(omzet.realisasi_omzet as double)
            when 'OMZET_KUMULATIF' then cast(omzet.realisasi_kumulatif as double)
            when 'OMZET_CAPAIAN' then omzet.capaian_persen
            when 'NAIK_KELAS' then cast(naik.jumlah_umkm_naik_kelas as double)
            when 'EORDER_UMKM' then cast(eorder.jumlah_umkm as double)
            when 'EORDER_TRANSAKSI' then cast(eorder.jumlah_transaksi as double)
            when 'EORDER_NILAI' then cast(eorder.nilai_transaksi as double)
        end as nilai_hitung
    from {{ ref('renaksi_terbitan') }} as t
    left join {{ ref('omzet_umkm_triwulan') }} as omzet
        on omzet.tahun = t.tahun and omzet.periode = t.periode and t.ukuran like 'OMZET%'
    left join {{ ref('umkm_naik_kelas') }} as naik
        on naik.tahun = t.tahun and t.ukuran = 'NAIK_KELAS'
    left join (
        select tahun, sum(jumlah_umkm) as jumlah_umkm, sum(jumlah_transaksi) as jumlah_transaksi, sum(nilai_transaksi) as nilai_transaksi
        from {{ ref('eorder_pemerataan') }}
        group by tahun
    ) as eorder
        on eorder.tahun = t.tahun and t.ukuran like 'EORDER%'

),

renaksi_vs_terbitan as (

    select
        d.tabel,
        d.baris,
        d.kolom,
        d.ukuran,
        cast(null as varchar) as indikator_kode,
        cast(null as varchar) as kelompok_ringkasan,
        d.tahun,
        d.periode,
        d.teks_terbitan,
        cast(d.nilai_terbitan as double) as nilai_terbitan,
        case
            when d.nilai_hitung = round(d.nilai_hitung) then cast(cast(d.nilai_hitung as bigint) as varchar)
            else cast(round(d.nilai_hitung, 4) as varchar)
        end as teks_hitung,
        d.nilai_hitung,
        d.nilai_hitung - cast(d.nilai_terbitan as double) as selisih,
        {{ status_rekonsiliasi('d.nilai_hitung', 'd.nilai_terbitan', 'd.desimal') }} as status,
        d.kunci
    from renaksi_dihitung as d

),

renaksi_dijelaskan as (

    select
        v.tabel, v.baris, v.kolom, v.ukuran, v.indikator_kode, v.kelompok_ringkasan, v.tahun, v.periode,
        v.teks_terbitan, v.nilai_terbitan, v.teks_hitung, v.nilai_hitung, v.selisih, v.status,
        case
            when v.status <> 'COCOK' and penjelasan.penjelasan is not null then penjelasan.penjelasan
            when v.status = 'TIDAK_DAPAT_DIHITUNG' then 'No Jakpreneur or e-Order data for this period in the landing zone.'
            when v.status <> 'COCOK' then 'Not explained yet: check the source data and the published figure.'
        end as penjelasan
    from renaksi_vs_terbitan as v
    left join penjelasan
        on penjelasan.tabel = v.tabel and penjelasan.ukuran = v.ukuran and penjelasan.kunci = v.kunci
        and penjelasan.tahun = v.tahun and penjelasan.periode = v.periode

),

semua as (

    select * from dari_laporan
    union all
    select * from emonev_vs_otomatis
    union all
    select * from anggaran_dijelaskan
    union all
    select * from renaksi_dijelaskan

),

-- the plausibility flags of the indicator and period a row is about (e.g. SDI: realisasi 100
-- against a target of 3.25 on a 0-4 scale), so a figure that matches the report can still be seen
-- to be doubtful
plausibilitas as (

    select indikator_kode, tahun, periode, max(tanda_plausibilitas) as tanda_plausibilitas
    from capaian
    where tanda_plausibilitas is not null
    group by indikator_kode, tahun, periode

)

select semua.*, plausibilitas.tanda_plausibilitas
from semua
left join plausibilitas
    on plausibilitas.indikator_kode = semua.indikator_kode
    and plausibilitas.tahun = semua.tahun
    and plausibilitas.periode = semua.periode
