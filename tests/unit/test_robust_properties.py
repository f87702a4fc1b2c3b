"""Property tests: random Unicode and random bytes never crash decoding, normalizing or extraction.

Every offset stays inside the text and every output string is NFC.
"""

import datetime as dt
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract import document_records, extract
from pipelines.text.decode import decode_bytes, repair_text
from pipelines.text.legacy import decode_tcvn3, decode_vni
from pipelines.text.normalize import normalize_text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Random text biased towards what articles hold: Vietnamese letters (also decomposed), quotes,
# punctuation, digits, line breaks, invisible characters, plus anything else Unicode has.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = st.sampled_from(list(VIETNAMESE + VIETNAMESE.upper() + " \n\r\t.,;:!?“”\"'()-–/0123456789"
                               "\u0300\u0301\u0303\u0309\u0323\u200b\u00ad\ufeff\u00a0"))
TEXT = st.one_of(st.text(), st.text(alphabet=ALPHABET, max_size=400),
                 st.lists(st.sampled_from(["Bộ trưởng", "Tô Lâm", "khẳng định", "“", "”", ", ", ". ", "\n",
                                           "Sáng 26/2", "tại Hà Nội", "ông", "nói", "Thủ tướng", "(TTXVN) - ",
                                           "Bộ Công an", "cho biết", ":"]), max_size=60).map("".join))


def _nfc(value: str | None) -> bool:
    return value is None or unicodedata.is_normalized("NFC", value)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_reject(data):
    decoded = decode_bytes(data)
    if decoded.text is None:
        assert decoded.reason and decoded.detail
    else:
        assert _nfc(decoded.text) and decoded.encoding


@SETTINGS
@given(TEXT)
def test_random_text_through_repairs_and_legacy_decoders(text):
    for out in (repair_text(text)[0], decode_tcvn3(text), decode_vni(text)):
        assert _nfc(out)
    assert _nfc(decode_bytes(text.encode("utf-8", errors="surrogatepass")).text)


@SETTINGS
@given(TEXT)
def test_random_text_normalizes_and_extracts_inside_the_text(raw):
    fields = normalize_text(raw)
    body = fields["body"]
    assert _nfc(body) and _nfc(fields["title"]) and _nfc(fields["source_name"])
    for span in fields["sentences"]:
        assert 0 <= span["start"] < span["end"] <= len(body)
    doc = extract(body, dt.date(2017, 2, 26))
    records = document_records("art_x", doc)
    for table in ("mentions", "quotes"):
        for row in records[table]:
            assert 0 <= row["char_start"] < row["char_end"] <= len(body), (table, row)
    for mention in records["mentions"]:
        assert body[mention["char_start"]:mention["char_end"]] == mention["surface"]
    for rows in records.values():
        for row in rows:
            for value in row.values():
                if isinstance(value, str):
                    assert _nfc(value), row
