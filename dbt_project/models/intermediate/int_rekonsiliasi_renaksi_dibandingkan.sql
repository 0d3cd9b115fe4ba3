-- Rencana aksi outputs of the LKIP computed from Jakpreneur and e-Order (tables 3.3 and 3.4, typed
-- into the renaksi_terbitan seed): omzet of binaan per quarter and cumulative
-- (marts.omzet_umkm_triwulan), UMKM naik kelas (marts.umkm_naik_kelas), e-Order pemerataan summed
-- over the PKT agencies (marts.eorder_pemerataan); with a status and a one-line explanation.
with renaksi_terbitan as (

    select * from {{ ref('renaksi_terbitan') }}

),

penjelasan as (

    select * from {{ ref('penjelasan_selisih') }}

),

omzet as (

    select * from {{ ref('omzet_umkm_triwulan') }}

),

naik as (

    select * from {{ ref('umkm_naik_kelas') }}

),

pemerataan as (

    select * from {{ ref('eorder_pemerataan') }}

),

-- the report prints e-Order pemerataan summed over the six PKT agencies
eorder as (

    select tahun, sum(jumlah_umkm) as jumlah_umkm, sum(jumlah_transaksi) as jumlah_transaksi, sum(nilai_transaksi) as nilai_transaksi
    from pemerataan
    group by tahun

),

renaksi_dihitung as (

    select
        t.*,
        case t.ukuran
            when 'OMZET_TARGET' then cast(omzet.target_omzet as double precision)
            when 'OMZET_REALISASI' then cast(omzet.realisasi_omzet as double precision)
            when 'OMZET_KUMULATIF' then cast(omzet.realisasi_kumulatif as double precision)
            when 'OMZET_CAPAIAN' then omzet.capaian_persen
            when 'NAIK_KELAS' then cast(naik.jumlah_umkm_naik_kelas as double precision)
            when 'EORDER_UMKM' then cast(eorder.jumlah_umkm as double precision)
            when 'EORDER_TRANSAKSI' then cast(eorder.jumlah_transaksi as double precision)
            when 'EORDER_NILAI' then cast(eorder.nilai_transaksi as double precision)
        end as nilai_hitung
    from renaksi_terbitan as t
    left join omzet
        on omzet.tahun = t.tahun and omzet.periode = t.periode and t.ukuran like 'OMZET%'
    left join naik
        on naik.tahun = t.tahun and t.ukuran = 'NAIK_KELAS'
    left join eorder
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
        cast(d.nilai_terbitan as double precision) as nilai_terbitan,
        case
            when d.nilai_hitung = round(d.nilai_hitung) then cast(cast(d.nilai_hitung as bigint) as varchar)
            else {{ teks_angka(round_to("d.nilai_hitung", 4)) }}
        end as teks_hitung,
        d.nilai_hitung,
        d.nilai_hitung - cast(d.nilai_terbitan as double precision) as selisih,
        {{ status_rekonsiliasi('d.nilai_hitung', 'd.nilai_terbitan', 'd.desimal') }} as status,
        d.kunci
    from renaksi_dihitung as d

),

final as (

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

)

select * from final
