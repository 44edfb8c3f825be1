"""Reporting periods as agencies write them (loaders/periods.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.months import month_end, month_key, month_label, parse_month_key
from loaders.periods import find_period

OCT = dt.date(2026, 10, 31)
SEP = dt.date(2026, 9, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年10月", OCT),
        ("武汉市科技型企业贷款情况表（2026年10月）", OCT),
        ("2026年1-10月", OCT),
        ("2026年1—10月", OCT),  # em dash
        ("2026年1－10月", OCT),  # full-width hyphen
        ("2026年1~10月", OCT),
        ("2026年1-10月份", OCT),
        ("截至2026年10月末", OCT),
        ("武汉市“金种子”“银种子”企业名录（截至2026年10月末）", OCT),
        ("2026年三季度", SEP),
        ("2026年第3季度", SEP),
        ("2026年第三季度末", SEP),
        ("2026Q3", SEP),
        ("2026q3", SEP),
        ("2026.10", OCT),
        ("2026-10", OCT),
        ("２０２６年１０月", OCT),  # full-width digits
        ("202610_人行_科技贷款.xlsx", OCT),
        ("人行_科技贷款_202610.xlsx", OCT),
        ("2026年末", dt.date(2026, 12, 31)),
        ("2026年上半年", dt.date(2026, 6, 30)),
        ("2026年2月", dt.date(2026, 2, 28)),
        ("2028年2月", dt.date(2028, 2, 29)),
    ],
)
def test_find_period(text, expected):
    assert find_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A range names the month it ends on, never the month it starts on.
        ("2026年1月-10月", OCT),
        ("2026年1月至10月", OCT),
        ("2026年1月—10月全市科技金融运行情况", OCT),
        ("2026年7-9月", SEP),
        ("2026年7月-9月", SEP),
    ],
)
def test_find_period_range_ends_the_period(text, expected):
    assert find_period(text) == expected


@pytest.mark.parametrize("text", ["武汉市科技型企业贷款情况表", "科技贷款.xlsx", "Sheet1", "", "2026年13月",
                                  "1-10月", "20261"])
def test_find_period_none(text):
    assert find_period(text) is None


def test_month_end_february_leap_and_common_years():
    assert month_end(2024, 2) == dt.date(2024, 2, 29)
    assert month_end(2028, 2) == dt.date(2028, 2, 29)
    assert month_end(2026, 2) == dt.date(2026, 2, 28)
    assert month_end(2100, 2) == dt.date(2100, 2, 28)  # not a leap year
    assert month_end(2026, 12) == dt.date(2026, 12, 31)
    assert month_end(2026, 4) == dt.date(2026, 4, 30)


def test_parse_month_key():
    assert parse_month_key("2026-10") == OCT
    assert parse_month_key(" 2026-2 ") == dt.date(2026, 2, 28)


@pytest.mark.parametrize("text", ["2026-13", "abc", "2026-00", "2026/10", ""])
def test_parse_month_key_rejects_with_chinese_message(text):
    with pytest.raises(ValueError) as info:
        parse_month_key(text)
    message = str(info.value)
    assert f"「{text}」" in message
    assert "YYYY-MM" in message
    assert "格式不对" in message


def test_month_key_and_label():
    assert month_key(dt.date(2026, 3, 31)) == "2026-03"
    assert month_label(dt.date(2026, 3, 31)) == "2026年3月"


@pytest.mark.parametrize(("text", "expected"), [
    ("2025年12月-2026年10月科技贷款情况", (2026, 10)),
    ("统计期间：2026年1月1日至2026年10月31日", (2026, 10)),
    ("2025年11月至2026年2月", (2026, 2)),
])
def test_a_range_across_years_reports_on_its_end(text, expected):
    assert find_period(text) == month_end(*expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026年前三季度科技金融数据", (2026, 9)),
    ("20261031_人行_科技贷款.xlsx", (2026, 10)),
])
def test_first_quarters_and_full_dates_in_file_names(text, expected):
    assert find_period(text) == month_end(*expected)


def test_a_period_after_the_current_month_is_in_the_future():
    from domain import clock
    from loaders.periods import current_month, in_future

    with clock.frozen(dt.datetime(2026, 10, 31, 23, 59, 59)):
        assert current_month() == OCT
        assert not in_future(OCT) and not in_future(SEP) and not in_future(None)
        assert in_future(month_end(2026, 11)) and in_future(find_period("2099年12月"))
    with clock.frozen(dt.datetime(2026, 11, 1, 0, 0)):
        assert current_month() == month_end(2026, 11)
        assert not in_future(month_end(2026, 11))
