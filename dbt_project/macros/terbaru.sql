{#- The first row of `relation` per `key` in `order_by` order: the latest row when ordered by time
    descending (an export is re-delivered, overlaps the previous one, or brings a newer state of the
    same record), or the preferred one when ordered by priority. -#}
{% macro baris_terbaru(relation, key, order_by) -%}
    select *  -- urutan included: callers pick their columns (portable SQL, no EXCLUDE)
    from (
        select *, row_number() over (partition by {{ key }} order by {{ order_by }}) as urutan
        from {{ relation }}
    ) as berurut
    where urutan = 1
{%- endmacro %}
