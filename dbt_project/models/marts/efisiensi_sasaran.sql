-- Efficiency per sasaran strategis (PMK 214/PMK.02/2017; table 3.19), over its programs i:
--   E = sum(pagu_i x capaian_i - realisasi_i) / sum(pagu_i x capaian_i)
-- Two ways, side by side:
--   efisiensi_metode_lkip_persen: capaian in percentage points (110, not 1.10), as the published
--     report computed it. Realisasi then weighs a hundred times less than pagu x capaian, so E is
--     close to 99 % for any sasaran: this reproduces the published 99.1 %.
--   efisiensi_pmk214_persen: capaian as a ratio (1.10), the regulation's formula; with serapan
--     around 94 % and capaian around 105 % it gives roughly 10 %.
with program as (

    select * from {{ ref('int_efisiensi_program_dihitung') }}

),

sasaran as (

    select * from {{ ref('sasaran') }}

),

per_sasaran as (

    select
        tahun,
        sasaran_kode,
        cast(sum(pagu) as decimal(20, 2)) as pagu,
        cast(sum(realisasi_anggaran) as decimal(20, 2)) as realisasi_anggaran,
        -- summed as DECIMAL: a float sum depends on the order of aggregation (and so on what else
        -- the build holds, e.g. a new year's rows), and published figures must not move by a last digit
        cast(sum(cast(pagu as decimal(20, 2)) * cast(capaian_program_persen as decimal(18, 10))) as double precision) as pagu_kali_capaian_poin,
        cast(count(*) as bigint) as jumlah_program
    from program
    group by tahun, sasaran_kode

),

final as (

    select
        per_sasaran.tahun,
        per_sasaran.sasaran_kode,
        sasaran.sasaran_nama,
        per_sasaran.pagu,
        per_sasaran.realisasi_anggaran,
        per_sasaran.pagu_kali_capaian_poin / cast(per_sasaran.pagu as double precision) as capaian_program_persen,
        (per_sasaran.pagu_kali_capaian_poin - cast(per_sasaran.realisasi_anggaran as double precision))
            / per_sasaran.pagu_kali_capaian_poin * 100 as efisiensi_metode_lkip_persen,
        (per_sasaran.pagu_kali_capaian_poin / 100 - cast(per_sasaran.realisasi_anggaran as double precision))
            / (per_sasaran.pagu_kali_capaian_poin / 100) * 100 as efisiensi_pmk214_persen,
        cast(per_sasaran.realisasi_anggaran as double precision) / cast(per_sasaran.pagu as double precision) * 100 as serapan_persen,
        per_sasaran.jumlah_program
    from per_sasaran
    left join sasaran on sasaran.sasaran_kode = per_sasaran.sasaran_kode

)

select * from final
