{#- Use the layer's schema name as is (raw, katalog, staging, intermediate, marts): BI tools,
    the exports and the quality audit address the public tables as marts.<model>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
