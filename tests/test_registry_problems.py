"""A broken registry reports every problem of every file in one pass, each with its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.errors import RegistryError
from domain.registry import load_registry


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_problems_in_several_files_and_entries_are_all_reported(data_copy):
    _edit(data_copy / "targets.toml", 'comparator = ">="', 'comparator = "=>"')
    _edit(data_copy / "targets.toml", "value = 500\n", 'value = "五百"\n')
    _edit(data_copy / "indicators.toml", 'unit = "亿元"', 'unit = "万亿"')
    _edit(data_copy / "status.toml", "on_track = 0.95", "on_track = 0.5")
    with pytest.raises(RegistryError) as e:
        load_registry(data_copy)
    problems = e.value.problems
    assert len(problems) == 4, problems
    assert str(e.value) == "\n".join(problems)
    files = [re.search(r"data/(\w+\.toml)", p)[1] for p in problems]
    assert sorted(files) == ["indicators.toml", "status.toml", "targets.toml", "targets.toml"]
    # every entry-level problem names its line; each message says how to proceed
    assert all(re.search(r"第\d+行", p) for p in problems if "thresholds" not in p)
    assert all(p.endswith("请改正该文件后重新启动。") for p in problems)


def test_a_reference_to_an_unreadable_file_is_not_reported_twice(data_copy):
    (data_copy / "indicators.toml").write_text("[[indicator]\n", encoding="utf-8")  # not TOML
    with pytest.raises(RegistryError) as e:
        load_registry(data_copy)
    # only the file itself: its indicators are unknown, so targets naming them are not also wrong
    assert len(e.value.problems) == 1 and "indicators.toml 不是有效的 TOML" in e.value.problems[0]


def test_the_roles_name_the_city_and_the_province(data_copy, registry):
    assert registry.regions[registry.city].name == "武汉市"
    assert registry.regions[registry.province].name == "湖北省"
    _edit(data_copy / "regions.toml", 'city = "420100"', 'city = "420000"')
    with pytest.raises(RegistryError, match=r"\[roles\] city「420000」的类型应为 city"):
        load_registry(data_copy)


def test_a_unit_inherits_its_parents_target_but_a_region_outside_does_not(registry):
    loans = registry.target_for("tech_loan_balance", "WH_DHGX")  # 东湖高新区 sums to 武汉市
    assert loans is not None and loans.region == registry.city
    assert registry.target_of("tech_loan_balance", "WH_DHGX") is None
    assert registry.target_for("tech_loan_balance", "420500") is None  # 宜昌市 is not a unit of 武汉市
    assert registry.target_for("tech_sme_borrowers", registry.city).region == registry.province
