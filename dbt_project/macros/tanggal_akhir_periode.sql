{#- The last day of a reporting period, as a date a BI tool can put on a time axis: TW1..TW4 the
    end of the quarter, TAHUNAN the end of the year (31 December), anything else NULL. make_date is
    the same function in DuckDB and PostgreSQL. -#}
{% macro tanggal_akhir_periode(tahun, periode) -%}
    case {{ periode }}
        when 'TW1' then make_date(cast({{ tahun }} as integer), 3, 31)
        when 'TW2' then make_date(cast({{ tahun }} as integer), 6, 30)
        when 'TW3' then make_date(cast({{ tahun }} as integer), 9, 30)
        when 'TW4' then make_date(cast({{ tahun }} as integer), 12, 31)
        when 'TAHUNAN' then make_date(cast({{ tahun }} as integer), 12, 31)
    end
{%- endmacro %}
