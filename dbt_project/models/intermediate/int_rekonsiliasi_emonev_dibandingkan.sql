-- For indicators whose realisasi an automatic source (BPS, Jakpreneur) now computes, the manual
-- E-Monev entry beside the computed value (tabel 'E-MONEV' of marts.rekonsiliasi_lkip): the
-- computed value takes precedence (int_realisasi_dipilih), the entry is kept to show where they
-- disagree. Equal within 0.005 is COCOK.
with dipilih as (

    select * from {{ ref('int_realisasi_dipilih') }}
    where sumber_data <> 'EMONEV' and realisasi_emonev is not null

),

katalog as (

    select * from {{ ref('int_indikator_dipilih') }}

),

final as (

    select
        'E-MONEV' as tabel,
        dipilih.indikator_kode || ' ' || katalog.indikator_nama as baris,
        'Realisasi ' || dipilih.periode as kolom,
        'REALISASI' as ukuran,
        dipilih.indikator_kode,
        cast(null as varchar) as kelompok_ringkasan,
        dipilih.tahun,
        dipilih.periode,
        {{ teks_angka("dipilih.realisasi_emonev") }} as teks_terbitan,
        dipilih.realisasi_emonev as nilai_terbitan,
        {{ teks_angka("dipilih.realisasi") }} as teks_hitung,
        dipilih.realisasi as nilai_hitung,
        dipilih.realisasi - dipilih.realisasi_emonev as selisih,
        case when abs(dipilih.realisasi - dipilih.realisasi_emonev) <= 0.005 then 'COCOK' else 'SELISIH' end as status,
        case
            when abs(dipilih.realisasi - dipilih.realisasi_emonev) <= 0.005 then null
            else 'The E-Monev entry differs from the value computed from ' || dipilih.sumber_data
                || ' (' || dipilih.versi_data || '), which takes precedence.'
        end as penjelasan
    from dipilih
    inner join katalog on katalog.indikator_kode = dipilih.indikator_kode

)

select * from final
