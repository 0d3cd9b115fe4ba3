{#- Use the layer's schema name as is (raw, katalog, staging, intermediate, marts): BI tools,
    the exports and the quality audit address the public tables as marts.<model>. On the
    PostgreSQL serving database a build goes into schemas with a prefix (KINERJA_SCHEMA_PREFIX,
    set by kinerja/postgres.py), renamed to these names in one transaction when it passed. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ env_var('KINERJA_SCHEMA_PREFIX', '') ~ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
