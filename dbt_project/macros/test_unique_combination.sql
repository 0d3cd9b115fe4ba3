{#- Generic test (dbt_utils is not reachable here): the combination of columns is unique. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as jumlah
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
