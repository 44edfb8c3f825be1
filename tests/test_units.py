"""Units written in agency files (loaders/units.py)."""

from __future__ import annotations

import pytest

from loaders.units import factor, strip_unit, unit_in_heading, unit_line


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位:亿元、家", "亿元"),  # the first unit on the line
        ("单位：家、万元", "家"),
        ("单位： 万元", "万元"),
        ("（单位：亿元）", "亿元"),
        ("金额单位：万元", "万元"),
        ("单位：%", "%"),
        ("武汉市科技型企业贷款情况表（2026年10月）", None),
        ("贷款余额（万元）", None),  # a unit in a heading is not a 单位 line
        ("", None),
    ],
)
def test_unit_line(text, unit):
    assert unit_line(text) == unit


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("贷款余额（万元）", "万元"),
        ("贷款余额(万元)", "万元"),
        ("科技型企业获贷家数（家）", "家"),
        ("科技型企业获贷率（%）", "%"),
        ("科技型企业获贷率(％)", "%"),
        ("认缴规模（ 亿元 ）", "亿元"),
        ("科技型企业贷款余额", None),
        ("同比增速（比上年）", None),
    ],
)
def test_unit_in_heading(heading, unit):
    assert unit_in_heading(heading) == unit


def test_strip_unit():
    assert strip_unit("贷款余额（万元）") == "贷款余额"
    assert strip_unit("贷款余额 (万元)") == "贷款余额"
    assert strip_unit("贷款余额") == "贷款余额"


def test_factor_money():
    assert factor("万元", "亿元") == pytest.approx(1e-4)
    assert factor("亿元", "亿元") == 1.0
    assert factor("元", "亿元") == pytest.approx(1e-8)
    assert factor("亿元", "万元") == pytest.approx(1e4)
    # 12,345万元 → 1.2345亿元
    assert 12345 * factor("万元", "亿元") == pytest.approx(1.2345)


def test_factor_counts_are_interchangeable():
    assert factor("户", "家") == 1.0
    assert factor("%", "%") == 1.0


@pytest.mark.parametrize(("found", "canonical"), [("家", "亿元"), ("万元", "家"), ("%", "亿元"), ("吨", "亿元"),
                                                  ("万元", "吨")])
def test_factor_different_dimensions_is_none(found, canonical):
    assert factor(found, canonical) is None
