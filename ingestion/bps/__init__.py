"""BPS PDRB source: WebAPI client, answer parser and the saved-table (CSV) reader.

Rows of every path have the same columns (:data:`ingestion.bps.answer.COLUMNS`): domain,
var_id, harga (ADHB/ADHK), vervar_kode, uraian (the BPS row label), seri (TOTAL, C, C_MIGAS,
G or empty), tahun, periode (TW1..TW4, TAHUNAN), nilai (miliar rupiah, exact decimal), catatan.
"""

SOURCE = "bps"
ENTITY = "pdrb"
