{#- Status of a published figure beside the warehouse's: COCOK when equal within half a unit of the
    last printed digit (desimal), TIDAK_DAPAT_DIHITUNG when the warehouse has no figure. -#}
{% macro status_rekonsiliasi(nilai_hitung, nilai_terbitan, desimal) -%}
    case
        when {{ nilai_hitung }} is null then 'TIDAK_DAPAT_DIHITUNG'
        when abs({{ nilai_hitung }} - cast({{ nilai_terbitan }} as double precision)) <= 0.5 * power(10.0, -{{ desimal }}) + 0.000000001 then 'COCOK'
        else 'SELISIH'
    end
{%- endmacro %}
