-- Capaian of every indicator against each of its targets (int_capaian_indikator_dihitung), with
-- the plausibility flags of its realisasi.
with dihitung as (

    select * from {{ ref('int_capaian_indikator_dihitung') }}

),

batas as (

    select * from {{ ref('batas_nilai_indikator') }}

),

final as (

    select
        dihitung.indikator_kode,
        indikator_nama,
        kelompok,
        sasaran_kode,
        program_kode,
        satuan,
        polaritas,
        tahun,
        periode,
        jenis_target,
        target,
        realisasi,
        capaian_persen,
        capaian_dihitung_persen,
        kriteria,
        status_data,
        sumber_data,
        versi_data,
        realisasi_emonev,
        -- plausibility of realisasi against target and unit (a likely unit mix-up); flags, never blocks
        nullif(concat_ws('; ',
            case when batas.nilai_maksimum is not null and dihitung.realisasi > batas.nilai_maksimum
                then 'REALISASI_MELEBIHI_BATAS_SATUAN' end,
            case when dihitung.target > 0 and dihitung.realisasi >= 10 * dihitung.target
                then 'REALISASI_10X_TARGET' end
        ), '') as tanda_plausibilitas,
        {{ tanggal_akhir_periode('dihitung.tahun', 'dihitung.periode') }} as tanggal_akhir_periode
    from dihitung
    left join batas on batas.indikator_kode = dihitung.indikator_kode

)

select * from final
