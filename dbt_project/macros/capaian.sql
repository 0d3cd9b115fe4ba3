{#- The report's formulas for capaian, the capped value averages count, and kriteria, in one place:
    every model that computes a capaian calls these. Portable SQL (no adapter-specific syntax). -#}

{#- Capaian in percent. Higher is better (NAIK): realisasi / target x 100.
    Lower is better (TURUN): (2 x target - realisasi) / target x 100.
    NULL when either value is missing or the target is zero. -#}
{% macro capaian_persen(realisasi, target, polaritas) -%}
    case
        when {{ realisasi }} is null or {{ target }} is null or {{ target }} = 0 then null
        when {{ polaritas }} = 'TURUN'
            then (2 * cast({{ target }} as double precision) - cast({{ realisasi }} as double precision)) / cast({{ target }} as double precision) * 100
        else cast({{ realisasi }} as double precision) / cast({{ target }} as double precision) * 100
    end
{%- endmacro %}

{#- The value an average counts: capaian capped at 110 % ("dijustifikasi menjadi 110%"). -#}
{% macro capaian_dihitung(capaian) -%}
    case when {{ capaian }} is null then null when {{ capaian }} > {{ var('batas_capaian_persen', 110) }} then {{ var('batas_capaian_persen', 110) }} else {{ capaian }} end
{%- endmacro %}

{#- Kriteria (Permendagri 86/2017, tabel 3.1). Each band runs from its printed lower bound up to,
    not including, the next band's lower bound, so the gaps between the printed integer bands
    (90-91, 75-76, 65-66, 50-51) belong to the lower band: 90.4 is Tinggi, as the report rates it. -#}
{% macro kriteria(capaian) -%}
    case
        when {{ capaian }} is null then null
        when {{ capaian }} >= 91 then 'Sangat Tinggi'
        when {{ capaian }} >= 76 then 'Tinggi'
        when {{ capaian }} >= 66 then 'Sedang'
        when {{ capaian }} >= 51 then 'Rendah'
        else 'Sangat Rendah'
    end
{%- endmacro %}
