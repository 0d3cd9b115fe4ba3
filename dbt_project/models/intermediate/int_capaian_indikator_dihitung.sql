-- Capaian of every indicator against each of its targets (Perkin, Renstra, rencana aksi KSD),
-- for the reporting years. Grain: indikator_kode x tahun x periode x jenis_target.
with katalog as (

    select * from {{ ref('int_indikator_dipilih') }}

),

target_indikator as (

    select * from {{ ref('int_target_indikator_dipilih') }}

),

tahun_pelaporan as (

    select * from {{ ref('int_tahun_pelaporan_dipilih') }}

),

realisasi as (

    select * from {{ ref('int_realisasi_dipilih') }}

),

target as (

    select
        indikator_kode,
        tahun,
        periode,
        jenis_target,
        cast(target as double precision) as target
    from target_indikator
    where tahun in (select tahun from tahun_pelaporan)

),

-- A realisasi reported for a period that has no target (e.g. TW III of an indicator whose
-- Perkin sets targets only for TW II and TW IV) is kept, under the indicator's main target
-- type of that year, as TANPA_TARGET.
jenis_utama as (

    select indikator_kode, tahun, min(jenis_target) as jenis_target
    from target
    group by indikator_kode, tahun

),

tanpa_target as (

    select
        realisasi.indikator_kode,
        realisasi.tahun,
        realisasi.periode,
        coalesce(
            jenis_utama.jenis_target,
            case katalog.kelompok when 'PROGRAM' then 'RENSTRA' when 'KSD' then 'RENAKSI' else 'PERKIN' end
        ) as jenis_target,
        cast(null as double precision) as target
    from realisasi
    inner join katalog on katalog.indikator_kode = realisasi.indikator_kode
    left join jenis_utama
        on jenis_utama.indikator_kode = realisasi.indikator_kode
        and jenis_utama.tahun = realisasi.tahun
    where not exists (
        select 1 from target
        where target.indikator_kode = realisasi.indikator_kode
            and target.tahun = realisasi.tahun
            and target.periode = realisasi.periode
    )

),

baris as (

    select * from target
    union all
    select * from tanpa_target

),

dihitung as (

    select
        baris.indikator_kode,
        katalog.indikator_nama,
        katalog.kelompok,
        katalog.sasaran_kode,
        katalog.program_kode,
        katalog.satuan,
        katalog.polaritas,
        baris.tahun,
        baris.periode,
        baris.jenis_target,
        baris.target,
        realisasi.realisasi,
        {{ capaian_persen('realisasi.realisasi', 'baris.target', 'katalog.polaritas') }} as capaian_persen,
        case
            when baris.target is null then 'TANPA_TARGET'
            when realisasi.realisasi is null then 'BELUM_RILIS'
            else 'TERSEDIA'
        end as status_data,
        coalesce(realisasi.sumber_data, katalog.sumber_data) as sumber_data,
        realisasi.versi_data,
        realisasi.realisasi_emonev
    from baris
    inner join katalog on katalog.indikator_kode = baris.indikator_kode
    left join realisasi
        on realisasi.indikator_kode = baris.indikator_kode
        and realisasi.tahun = baris.tahun
        and realisasi.periode = baris.periode

),

final as (

    select
        *,
        {{ capaian_dihitung('capaian_persen') }} as capaian_dihitung_persen,
        {{ kriteria('capaian_persen') }} as kriteria
    from dihitung

)

select * from final
