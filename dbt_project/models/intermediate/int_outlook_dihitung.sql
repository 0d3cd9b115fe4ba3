-- Outlook of the strategic indicators: kondisi akhir up to each reporting year and capaian
-- against the Perkin target, the Renstra target of the year and the end-of-period target.
-- Grain: strategic indikator_kode x tahun.
with katalog as (

    select * from {{ ref('int_indikator_dipilih') }}
    where kelompok = 'SASARAN_STRATEGIS'

),

renstra as (

    select * from {{ ref('int_renstra_periode_dipilih') }}

),

realisasi_tahunan as (

    select indikator_kode, tahun, realisasi, versi_data
    from {{ ref('int_realisasi_dipilih') }}
    where periode = 'TAHUNAN'

),

capaian as (

    select * from {{ ref('int_capaian_indikator_dihitung') }}
    where periode = 'TAHUNAN'

),

tahun_pelaporan as (

    select * from {{ ref('int_tahun_pelaporan_dipilih') }}

),

grid as (

    select
        katalog.indikator_kode,
        katalog.polaritas,
        katalog.cara_akumulasi,
        renstra.tahun_awal,
        cast(renstra.target_akhir_periode as double precision) as target_akhir_periode,
        tahun.tahun
    from katalog
    inner join renstra on renstra.indikator_kode = katalog.indikator_kode
    cross join tahun_pelaporan as tahun
    where tahun.tahun between renstra.tahun_awal and renstra.tahun_akhir

),

-- Released values from the start of the Renstra period up to the reporting year.
riwayat as (

    select
        grid.indikator_kode,
        grid.tahun,
        realisasi_tahunan.tahun as tahun_data,
        realisasi_tahunan.realisasi,
        row_number() over (
            partition by grid.indikator_kode, grid.tahun order by realisasi_tahunan.tahun desc
        ) as urutan_terbaru
    from grid
    inner join realisasi_tahunan
        on realisasi_tahunan.indikator_kode = grid.indikator_kode
        and realisasi_tahunan.tahun between grid.tahun_awal and grid.tahun
    where realisasi_tahunan.realisasi is not null

),

kondisi as (

    select
        indikator_kode,
        tahun,
        cast(sum(cast(realisasi as decimal(38, 6))) as double precision) as jumlah_realisasi,
        max(case when urutan_terbaru = 1 then realisasi end) as realisasi_terbaru,
        max(case when urutan_terbaru = 1 then tahun_data end) as tahun_realisasi_terbaru
    from riwayat
    group by indikator_kode, tahun

),

gabung as (

    select
        grid.indikator_kode,
        grid.tahun,
        grid.polaritas,
        grid.cara_akumulasi,
        sekarang.realisasi,
        sebelumnya.realisasi as realisasi_tahun_sebelumnya,
        case
            when grid.cara_akumulasi = 'KUMULATIF' then kondisi.jumlah_realisasi
            else kondisi.realisasi_terbaru
        end as kondisi_akhir,
        kondisi.tahun_realisasi_terbaru as kondisi_akhir_tahun_data,
        perkin.target as target_perkin,
        perkin.capaian_persen as capaian_perkin_persen,
        rencana.target as target_renstra,
        rencana.capaian_persen as capaian_renstra_persen,
        grid.target_akhir_periode
    from grid
    left join realisasi_tahunan as sekarang
        on sekarang.indikator_kode = grid.indikator_kode and sekarang.tahun = grid.tahun
    left join realisasi_tahunan as sebelumnya
        on sebelumnya.indikator_kode = grid.indikator_kode and sebelumnya.tahun = grid.tahun - 1
    left join kondisi
        on kondisi.indikator_kode = grid.indikator_kode and kondisi.tahun = grid.tahun
    left join capaian as perkin
        on perkin.indikator_kode = grid.indikator_kode and perkin.tahun = grid.tahun and perkin.jenis_target = 'PERKIN'
    left join capaian as rencana
        on rencana.indikator_kode = grid.indikator_kode and rencana.tahun = grid.tahun and rencana.jenis_target = 'RENSTRA'

),

dihitung as (

    select
        indikator_kode,
        tahun,
        cara_akumulasi,
        realisasi,
        realisasi_tahun_sebelumnya,
        kondisi_akhir,
        kondisi_akhir_tahun_data,
        target_perkin,
        capaian_perkin_persen,
        {{ capaian_dihitung('capaian_perkin_persen') }} as capaian_perkin_dihitung_persen,
        target_renstra,
        capaian_renstra_persen,
        {{ capaian_dihitung('capaian_renstra_persen') }} as capaian_renstra_dihitung_persen,
        target_akhir_periode,
        {{ capaian_persen('kondisi_akhir', 'target_akhir_periode', 'polaritas') }} as capaian_akhir_periode_persen
    from gabung

),

final as (

    select
        *,
        {{ capaian_dihitung('capaian_akhir_periode_persen') }} as capaian_akhir_periode_dihitung_persen
    from dihitung

)

select * from final
