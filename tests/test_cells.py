"""Cell values as agencies type them (loaders/cells.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.cells import NotANumber, a1, col_letter, is_blank, parse_date, parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,345.6", (12345.6, False)),
        ("１２３４５", (12345.0, False)),  # full-width digits
        ("１２，３４５．５", (12345.5, False)),  # full-width comma and point
        ("12.3%", (12.3, True)),
        ("１２．３％", (12.3, True)),
        ("(12.5)", (-12.5, False)),  # accounting negative
        ("（12.5）", (-12.5, False)),
        (" 1 234 ", (1234.0, False)),  # spaces typed inside the number
        ("-3.5", (-3.5, False)),
        ("0", (0.0, False)),
        (7, (7.0, False)),
        (2.5, (2.5, False)),
    ],
)
def test_parse_number_reads_agency_spellings(raw, expected):
    value, had_percent = parse_number(raw)
    assert value == pytest.approx(expected[0])
    assert had_percent is expected[1]


@pytest.mark.parametrize("raw", ["—", "——", "-", "--", "/", "", "  ", None, "无", "N/A"])
def test_parse_number_no_value_marks(raw):
    assert parse_number(raw) == (None, False)


@pytest.mark.parametrize("raw", ["abc", "12,345万", "约100", "1.2.3", True])
def test_parse_number_rejects_text(raw):
    with pytest.raises(NotANumber):
        parse_number(raw)


def test_not_a_number_is_a_value_error():
    # Callers catch ValueError in places; NotANumber must stay one.
    with pytest.raises(ValueError):
        parse_number("abc")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2025, 3, 1), dt.date(2025, 3, 1)),
        (dt.datetime(2025, 3, 1, 14, 30), dt.date(2025, 3, 1)),
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("2025/3/1", dt.date(2025, 3, 1)),
        ("2025年3月1日", dt.date(2025, 3, 1)),
        ("２０２５年３月１日", dt.date(2025, 3, 1)),
        ("2025.3", dt.date(2025, 3, 1)),  # month only → first of month
        ("2025年3月", dt.date(2025, 3, 1)),
        ("20250301", dt.date(2025, 3, 1)),
    ],
)
def test_parse_date(raw, expected):
    day = parse_date(raw)
    assert day == expected
    assert type(day) is dt.date  # never a datetime: register columns are pl.Date


@pytest.mark.parametrize("raw", ["junk", "2025-02-30", "2025-13-01", "3月1日", "", "—", None, "20251301"])
def test_parse_date_junk_is_none(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"),
                                                (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")])
def test_col_letter(index, letters):
    assert col_letter(index) == letters


@pytest.mark.parametrize(("row", "col", "ref"), [(0, 0, "A1"), (3, 1, "B4"), (9, 25, "Z10"), (99, 26, "AA100"),
                                                 (0, 702, "AAA1")])
def test_a1_is_zero_based(row, col, ref):
    assert a1(row, col) == ref


@pytest.mark.parametrize(("raw", "blank"), [(None, True), ("", True), ("—", True), (" / ", True), (0, False),
                                            ("0", False), ("江岸区", False)])
def test_is_blank(raw, blank):
    assert is_blank(raw) is blank


def test_typographic_minus_sign_is_a_minus():
    assert parse_number("\u221212.5") == (-12.5, False)
    assert parse_number("\u22123.4%") == (-3.4, True)


@pytest.mark.parametrize(
    ("raw", "reason", "digits"),
    [
        (float("nan"), "not_finite", 0),
        (float("inf"), "not_finite", 0),
        (float("-inf"), "not_finite", 0),
        ("NaN", "not_finite", 0),
        ("-Infinity", "not_finite", 0),
        ("#DIV/0!", "not_finite", 0),
        ("1e999", "too_large", 1000),
        ("9" * 10_000, "too_large", 10_000),
        ("1,000,000,000,000,000", "too_large", 16),
        (1e300, "too_large", 301),
        ("十二", "text", 0),
    ],
)
def test_parse_number_refuses_what_is_no_true_number(raw, reason, digits):
    with pytest.raises(NotANumber) as e:
        parse_number(raw)
    assert (e.value.reason, e.value.digits) == (reason, digits)


def test_the_largest_number_still_read_has_fifteen_digits():
    assert parse_number("999,999,999,999,999") == (999_999_999_999_999.0, False)
    assert parse_number(-999_999_999_999_999.0) == (-999_999_999_999_999.0, False)  # its sign is the contracts' call
