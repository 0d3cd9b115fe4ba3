{#- A double as text, the same in every adapter: DuckDB writes a whole number as "100.0",
    PostgreSQL as "100"; both write the shortest text that reads back as the same double otherwise. -#}
{% macro teks_angka(expression) -%}
    {{ return(adapter.dispatch('teks_angka', 'kinerja')(expression)) }}
{%- endmacro %}

{% macro default__teks_angka(expression) -%}
    cast({{ expression }} as varchar)
{%- endmacro %}

{% macro postgres__teks_angka(expression) -%}
    case
        when {{ expression }} = trunc({{ expression }}) and abs({{ expression }}) < 1e15
            then cast(cast({{ expression }} as bigint) as varchar) || '.0'
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}
