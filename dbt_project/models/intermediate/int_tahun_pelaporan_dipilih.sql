-- Reporting years: every year for which some realisasi has arrived. Targets of later
-- Renstra years do not appear in the marts until their year starts reporting.
select distinct tahun
from {{ ref('int_realisasi_dipilih') }}
