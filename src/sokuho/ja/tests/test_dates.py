from datetime import UTC, datetime, timedelta, timezone

import pytest

from sokuho.ja.dates import format_jst, format_jst_date, iso_jst, weekday_kanji


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 2026-02-02 is a Monday in JST; one case per weekday.
        (datetime(2026, 2, 1, 16, 5, tzinfo=UTC), "2026年02月02日(月)01時05分"),
        (datetime(2026, 2, 2, 16, 5, tzinfo=UTC), "2026年02月03日(火)01時05分"),
        (datetime(2026, 2, 3, 16, 5, tzinfo=UTC), "2026年02月04日(水)01時05分"),
        (datetime(2026, 2, 4, 16, 5, tzinfo=UTC), "2026年02月05日(木)01時05分"),
        (datetime(2026, 2, 5, 16, 55, tzinfo=UTC), "2026年02月06日(金)01時55分"),
        (datetime(2026, 2, 6, 16, 5, tzinfo=UTC), "2026年02月07日(土)01時05分"),
        (datetime(2026, 2, 7, 16, 5, tzinfo=UTC), "2026年02月08日(日)01時05分"),
    ],
)
def test_every_weekday_in_jst(utc, expected):
    assert format_jst(utc) == expected


def test_midnight_is_zero_hour():
    assert format_jst(datetime(2026, 3, 9, 15, 0, tzinfo=UTC)) == "2026年03月10日(火)00時00分"


def test_year_boundary_moves_to_new_year_in_jst():
    new_year = datetime(2025, 12, 31, 15, 0, tzinfo=UTC)
    assert format_jst(new_year) == "2026年01月01日(木)00時00分"
    assert format_jst(new_year - timedelta(minutes=1)) == "2025年12月31日(水)23時59分"


def test_other_offsets_and_naive_utc_are_converted():
    new_york = timezone(timedelta(hours=-5))
    assert format_jst(datetime(2026, 2, 5, 11, 55, tzinfo=new_york)) == "2026年02月06日(金)01時55分"
    assert format_jst(datetime(2026, 2, 5, 16, 55)) == "2026年02月06日(金)01時55分"


def test_iso_and_plain_date():
    moment = datetime(2026, 2, 5, 16, 55, 7, 123, tzinfo=UTC)
    assert iso_jst(moment) == "2026-02-06T01:55:07+09:00"
    assert format_jst_date(moment) == "2026年2月6日"
    assert weekday_kanji(moment) == "金"
