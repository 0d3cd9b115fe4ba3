{#- round(x, places) on a double, the same in every adapter: PostgreSQL rounds only numeric to a
    number of places (round(double precision, integer) does not exist), so it rounds the exact
    decimal and returns a double again. Half away from zero in both. -#}
{% macro round_to(expression, places) -%}
    {{ return(adapter.dispatch('round_to', 'kinerja')(expression, places)) }}
{%- endmacro %}

{% macro default__round_to(expression, places) -%}
    round({{ expression }}, {{ places }})
{%- endmacro %}

{% macro postgres__round_to(expression, places) -%}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{%- endmacro %}
