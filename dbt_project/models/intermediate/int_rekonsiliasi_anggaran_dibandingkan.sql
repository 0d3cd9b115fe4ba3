-- Budget tables of the LKIP (1.4-1.7, 2.7-2.10, 3.7-3.10: rupiah, to the rupiah; serapan in percent,
-- 2 decimals) and the efficiency of table 3.19 (percent, 2 decimals), typed into the
-- anggaran_terbitan seed, beside marts.serapan_anggaran, marts.efisiensi_sasaran and the EFISIENSI
-- average of marts.ringkasan_capaian; with a status and a one-line explanation.
with anggaran_terbitan as (

    select * from {{ ref('anggaran_terbitan') }}

),

penjelasan as (

    select * from {{ ref('penjelasan_selisih') }}

),

serapan as (

    select * from {{ ref('serapan_anggaran') }}

),

efisiensi as (

    select * from {{ ref('efisiensi_sasaran') }}

),

ringkasan as (

    select * from {{ ref('ringkasan_capaian') }}

),

-- years that have SIPD data at all
tahun_sipd as (

    select distinct tahun from serapan where dimensi = 'TOTAL'

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
                end as double precision
            ), 0)
        end as nilai_hitung,
        case when t.ukuran in ('EFISIENSI', 'SERAPAN') then 2 else 0 end as desimal
    from anggaran_terbitan as t
    left join serapan
        on serapan.tahun = t.tahun
        and serapan.dimensi = case when t.kode = 'TOTAL' then 'TOTAL' else t.dimensi end
        and serapan.kode = case
            when t.kode = 'TOTAL' then 'TOTAL'
            when t.dimensi = 'UNIT' then '{{ var("sipd_kode_unit_prefix") }}' || lpad(t.kode, 4, '0')
            else t.kode
        end
        and t.ukuran <> 'EFISIENSI'
    left join efisiensi
        on efisiensi.tahun = t.tahun and efisiensi.sasaran_kode = t.kode and t.ukuran = 'EFISIENSI'
    left join ringkasan
        on ringkasan.kelompok_ringkasan = 'EFISIENSI' and ringkasan.tahun = t.tahun and t.ukuran = 'EFISIENSI'
    left join tahun_sipd
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
        cast(d.nilai_terbitan as double precision) as nilai_terbitan,
        case when d.desimal > 0 then {{ teks_angka(round_to("d.nilai_hitung", 4)) }} else cast(cast(d.nilai_hitung as bigint) as varchar) end as teks_hitung,
        d.nilai_hitung,
        d.nilai_hitung - cast(d.nilai_terbitan as double precision) as selisih,
        {{ status_rekonsiliasi('d.nilai_hitung', 'd.nilai_terbitan', 'd.desimal') }} as status,
        d.kode,
        d.ukuran as ukuran_asal
    from anggaran_dihitung as d

),

final as (

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

select * from final
