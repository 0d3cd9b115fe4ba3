-- One row per UMKM: its row in the most recent registry snapshot (latest diperbarui_pada, then
-- the latest landing). A snapshot is a full export, but an UMKM missing from a later snapshot is
-- kept from the earlier one: Jakpreneur does not delete registrations.
with source as (

    select * from {{ source('jakpreneur', 'umkm') }}

),

terbaru as (

    {{ baris_terbaru('source', 'umkm_id', 'diperbarui_pada desc, landed_at desc, baris desc') }}

),

final as (

    select
        umkm_id,
        nama_usaha,
        tanggal_daftar,
        wilayah,
        status_binaan,
        perangkat_daerah_pembina,
        diperbarui_pada,
        batch_id as versi_data
    from terbaru

)

select * from final
