-- Every landed batch of every source, as the pipeline recorded it at landing.
with source as (

    select * from {{ source('pipeline', 'batch') }}

),

final as (

    select
        batch_id,
        source as sumber,
        entity as entitas,
        original_name as nama_file_asli,
        sha256,
        cast(landed_at as timestamp) as landed_at,
        row_count as jumlah_baris
    from source

)

select * from final
