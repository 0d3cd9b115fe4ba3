-- Tabel 3.14 of the LKIP: the BPS-based strategic indicators of the agency's region beside the
-- national value, for every year and quarter both have (quarters year-on-year).
with nilai as (

    select * from {{ ref('int_indikator_bps_dihitung') }}

),

katalog as (

    select * from {{ ref('int_indikator_dipilih') }}

),

daerah as (

    select * from nilai where peran_domain = 'DAERAH'

),

nasional as (

    select * from nilai where peran_domain = 'NASIONAL'

),

gabung as (

    select
        coalesce(daerah.indikator_kode, nasional.indikator_kode) as indikator_kode,
        coalesce(daerah.tahun, nasional.tahun) as tahun,
        coalesce(daerah.periode, nasional.periode) as periode,
        daerah.nilai as nilai_daerah,
        nasional.nilai as nilai_nasional,
        daerah.versi_data as versi_data_daerah,
        nasional.versi_data as versi_data_nasional
    from daerah
    full outer join nasional
        on nasional.indikator_kode = daerah.indikator_kode
        and nasional.tahun = daerah.tahun
        and nasional.periode = daerah.periode

),

final as (

    select
        gabung.indikator_kode,
        katalog.indikator_nama,
        katalog.satuan,
        gabung.tahun,
        gabung.periode,
        gabung.nilai_daerah,
        gabung.nilai_nasional,
        {{ round_to("gabung.nilai_daerah - gabung.nilai_nasional", 2) }} as selisih_daerah_nasional,
        gabung.versi_data_daerah,
        gabung.versi_data_nasional,
        {{ tanggal_akhir_periode('gabung.tahun', 'gabung.periode') }} as tanggal_akhir_periode
    from gabung
    inner join katalog on katalog.indikator_kode = gabung.indikator_kode

)

select * from final
