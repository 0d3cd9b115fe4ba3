-- Kemajuan harapan (outlook, table 3.13) of the strategic indicators, with their names.
with outlook as (

    select * from {{ ref('int_outlook_dihitung') }}

),

katalog as (

    select * from {{ ref('int_indikator_dipilih') }}

),

final as (

    select
        outlook.indikator_kode,
        katalog.indikator_nama,
        outlook.tahun,
        outlook.cara_akumulasi,
        outlook.realisasi,
        outlook.realisasi_tahun_sebelumnya,
        outlook.kondisi_akhir,
        outlook.kondisi_akhir_tahun_data,
        outlook.target_perkin,
        outlook.capaian_perkin_persen,
        outlook.capaian_perkin_dihitung_persen,
        outlook.target_renstra,
        outlook.capaian_renstra_persen,
        outlook.capaian_renstra_dihitung_persen,
        outlook.target_akhir_periode,
        outlook.capaian_akhir_periode_persen,
        outlook.capaian_akhir_periode_dihitung_persen
    from outlook
    inner join katalog on katalog.indikator_kode = outlook.indikator_kode

)

select * from final
