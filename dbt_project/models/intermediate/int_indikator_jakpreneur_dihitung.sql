-- Indicators computed from Jakpreneur, per tahun x periode (TW1..TW4 as the position at the end
-- of the quarter, TAHUNAN = TW4). Only quarters that had ended when the data landed.
--   PERTUMBUHAN_PELAKU_UMKM (SS03): (UMKM registered by the end of the quarter - by the end of the
--     previous year) / by the end of the previous year x 100, over the whole registry.
--   UMKM_MENINGKAT_KAPASITAS (SS05): of the binaan of the agency (var jakpreneur_pembina) that have
--     an assessment before the year (their baseline: the latest one), the share with an assessment
--     in the year up to the quarter's end showing omzet, aset or tenaga kerja above the baseline,
--     or an export invoice of at least USD 200.
with umkm as (

    select * from {{ ref('stg_jakpreneur__umkm') }}

),

semua_penilaian as (

    select * from {{ ref('stg_jakpreneur__penilaian') }}

),

batch as (

    select * from {{ ref('stg_pipeline__batch') }}

),

peta as (

    select * from {{ ref('indikator_jakpreneur') }}

),

triwulan as (

    select 1 as triwulan union all select 2 union all select 3 union all select 4

),

batas as (

    -- the WIB day the latest export of each entity landed; a quarter is reported once it ended before that day
    select entitas as entity, cast(max(landed_at) + interval '7 hours' as date) as hingga, max(batch_id) as versi_data
    from batch
    where sumber = 'jakpreneur'
    group by entitas

),

-- registrations per quarter, accumulated over a spine of every quarter since the first one
daftar_per_triwulan as (

    select
        cast(extract(year from tanggal_daftar) as integer) as tahun,
        cast(extract(quarter from tanggal_daftar) as integer) as triwulan,
        count(*) as jumlah
    from umkm
    group by 1, 2

),

spine as (

    select tahun.tahun, triwulan.triwulan
    from (
        select distinct tahun from daftar_per_triwulan
        union
        select cast(extract(year from hingga) as integer) from batas where entity = 'umkm'
    ) as tahun
    cross join triwulan
    where tahun.tahun >= (select min(tahun) from daftar_per_triwulan)

),

terdaftar as (

    select
        spine.tahun,
        spine.triwulan,
        sum(coalesce(daftar.jumlah, 0)) over (order by spine.tahun, spine.triwulan rows between unbounded preceding and current row)
            as jumlah_terdaftar
    from spine
    left join daftar_per_triwulan as daftar
        on daftar.tahun = spine.tahun and daftar.triwulan = spine.triwulan

),

pertumbuhan as (

    select
        'PERTUMBUHAN_PELAKU_UMKM' as ukuran,
        sekarang.tahun,
        sekarang.triwulan,
        cast(sekarang.jumlah_terdaftar - dasar.jumlah_terdaftar as double precision) as pembilang,
        cast(dasar.jumlah_terdaftar as double precision) as penyebut
    from terdaftar as sekarang
    inner join terdaftar as dasar
        on dasar.tahun = sekarang.tahun - 1 and dasar.triwulan = 4
    where dasar.jumlah_terdaftar > 0
        and cast(make_date(sekarang.tahun, 3 * sekarang.triwulan, 1) + interval '1 month' - interval '1 day' as date)
            < (select hingga from batas where entity = 'umkm')

),

binaan as (

    select umkm_id from umkm
    where status_binaan = 'BINAAN' and perangkat_daerah_pembina = '{{ var("jakpreneur_pembina") }}'

),

penilaian as (

    select penilaian.*
    from semua_penilaian as penilaian
    inner join binaan on binaan.umkm_id = penilaian.umkm_id

),

tahun_penilaian as (

    select distinct cast(extract(year from tanggal_penilaian) as integer) as tahun from penilaian

),

-- every assessment before each year: candidates for the year's baseline
sebelum_tahun as (

    select
        tahun.tahun,
        penilaian.umkm_id,
        penilaian.penilaian_id,
        penilaian.tanggal_penilaian,
        penilaian.omzet_tahunan,
        penilaian.aset,
        penilaian.tenaga_kerja
    from tahun_penilaian as tahun
    inner join penilaian on penilaian.tanggal_penilaian < make_date(tahun.tahun, 1, 1)

),

-- the baseline: the latest assessment before the year
dasar as (

    {{ baris_terbaru('sebelum_tahun', 'tahun, umkm_id', 'tanggal_penilaian desc, penilaian_id desc') }}

),

meningkat as (

    select
        dasar.tahun,
        dasar.umkm_id,
        min(cast(extract(quarter from penilaian.tanggal_penilaian) as integer)) as triwulan_pertama
    from dasar
    inner join penilaian
        on penilaian.umkm_id = dasar.umkm_id
        and cast(extract(year from penilaian.tanggal_penilaian) as integer) = dasar.tahun
    where penilaian.omzet_tahunan > dasar.omzet_tahunan
        or penilaian.aset > dasar.aset
        or penilaian.tenaga_kerja > dasar.tenaga_kerja
        or penilaian.nilai_invoice_ekspor_usd >= 200
    group by 1, 2

),

kapasitas as (

    select
        'UMKM_MENINGKAT_KAPASITAS' as ukuran,
        kohort.tahun,
        triwulan.triwulan,
        cast((
            select count(*) from meningkat
            where meningkat.tahun = kohort.tahun and meningkat.triwulan_pertama <= triwulan.triwulan
        ) as double precision) as pembilang,
        cast(kohort.jumlah as double precision) as penyebut
    from (select tahun, count(*) as jumlah from dasar group by tahun) as kohort
    cross join triwulan
    where cast(make_date(kohort.tahun, 3 * triwulan.triwulan, 1) + interval '1 month' - interval '1 day' as date)
        < (select hingga from batas where entity = 'penilaian')

),

semua as (

    select * from pertumbuhan
    union all
    select * from kapasitas

),

per_triwulan as (

    select
        peta.indikator_kode,
        semua.ukuran,
        semua.tahun,
        'TW' || cast(semua.triwulan as varchar) as periode,
        semua.pembilang / semua.penyebut * 100 as nilai,
        semua.pembilang,
        semua.penyebut,
        batas.versi_data
    from semua
    inner join peta on peta.ukuran = semua.ukuran
    inner join batas
        on batas.entity = case semua.ukuran when 'PERTUMBUHAN_PELAKU_UMKM' then 'umkm' else 'penilaian' end

),

-- TAHUNAN is the position at the end of the year: the TW4 value
final as (

    select * from per_triwulan
    union all
    select indikator_kode, ukuran, tahun, 'TAHUNAN' as periode, nilai, pembilang, penyebut, versi_data
    from per_triwulan
    where periode = 'TW4'

)

select * from final
