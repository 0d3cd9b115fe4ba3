with dihitung as (

    select * from {{ ref('int_capaian_indikator_dihitung') }}

)

select
    indikator_kode,
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
    realisasi_emonev
from dihitung
