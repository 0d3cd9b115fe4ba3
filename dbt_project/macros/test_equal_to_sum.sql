{#- Generic test: in every row, column_name equals the sum of the listed columns (an arithmetic identity). -#}
{% test equal_to_sum(model, column_name, columns) %}
select *
from {{ model }}
where {{ column_name }} <> {% for c in columns %}{{ c }}{% if not loop.last %} + {% endif %}{% endfor %}
{% endtest %}
