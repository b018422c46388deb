from datetime import UTC, datetime

from sokuho.news.datelines import build_dateline


def test_wire_dateline_uses_the_jst_day():
    # 16:30 UTC on the 5th is already the 6th in Tokyo.
    published = datetime(2026, 2, 5, 16, 30, tzinfo=UTC)
    assert build_dateline("キーウ", published, "北辰") == "[キーウ 6日 北辰] - "


def test_own_newsroom_dateline_has_no_signature():
    published = datetime(2026, 2, 5, 1, 0, tzinfo=UTC)
    assert build_dateline("青葉市", published) == "[青葉市 5日] - "


def test_no_place_no_dateline():
    assert build_dateline("  ", datetime(2026, 2, 5, tzinfo=UTC), "北辰") == ""
