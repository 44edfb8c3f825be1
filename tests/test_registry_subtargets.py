"""[[subtarget]]: a city target split over its units, parsed and checked. No document splits a target over the
districts, so data/targets.toml ships none; the demo's illustrative split (data/demo_subtargets.toml) is added only
for a database holding demo data, marked as examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import RegistryError
from domain.registry import default_registry, load_registry, with_demo_subtargets

LOANS = "WH2027.tech_loan_balance"


def _append(data_dir: Path, *entries: str, file: str = "targets.toml") -> None:
    path = data_dir / file
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"\n[[subtarget]]\n{e}\n" for e in entries),
                    encoding="utf-8")


def test_the_shipped_registry_splits_no_target(registry):
    assert registry.subtargets == {} and not registry.subtargets_are_examples()
    assert default_registry().subtargets == {}


def test_the_demo_split_covers_the_16_units_and_is_marked_as_examples(registry):
    demo = with_demo_subtargets(registry)
    split = demo.subtargets[LOANS]
    units = {r.code for r in registry.children("420100")}
    assert set(split) == units and len(split) == 16
    assert split["WH_DHGX"] == 1800.0
    assert sum(split.values()) == pytest.approx(5100.0)  # the units together promise a little more than 5000
    assert all(isinstance(v, float) for v in split.values())
    assert demo.subtargets_are_examples(LOANS) and demo.subtargets_are_examples()
    assert not demo.subtargets_are_examples("WH2027.seed_firms")
    assert default_registry(demo=True).subtargets == demo.subtargets


def test_an_assigned_split_wins_over_the_demo_example_and_is_not_called_one(data_copy):
    _append(data_copy, f'target = "{LOANS}"\nregion = "420102"\nvalue = 260')
    _append(data_copy, 'target = "WH2027.seed_firms"\nregion = "WH_DHGX"\nvalue = 180', file="demo_subtargets.toml")
    demo = with_demo_subtargets(load_registry(data_copy))
    assert demo.subtargets[LOANS] == {"420102": 260.0}  # the real one, not the demo's 16
    assert not demo.subtargets_are_examples(LOANS)
    assert demo.subtargets["WH2027.seed_firms"] == {"WH_DHGX": 180.0} and demo.subtargets_are_examples("WH2027.seed_firms")


def test_a_broken_demo_split_is_reported_with_its_file(data_copy):
    _append(data_copy, f'target = "{LOANS}"\nregion = "999999"\nvalue = 250', file="demo_subtargets.toml")
    with pytest.raises(RegistryError, match=r"data/demo_subtargets\.toml.*999999"):
        with_demo_subtargets(load_registry(data_copy))


def test_entries_are_grouped_by_target(data_copy):
    _append(data_copy, f'target = "{LOANS}"\nregion = "420102"\nvalue = 250',
            'target = "WH2027.seed_firms"\nregion = "WH_DHGX"\nvalue = 180\nnote = "光谷"',
            f'target = "{LOANS}"\nregion = "WH_DHGX"\nvalue = 1800.5',
            'target = "HB2026.tech_guarantee_balance"\nregion = "420100"\nvalue = 200')
    assert load_registry(data_copy).subtargets == {
        LOANS: {"420102": 250.0, "WH_DHGX": 1800.5},
        "WH2027.seed_firms": {"WH_DHGX": 180.0},
        "HB2026.tech_guarantee_balance": {"420100": 200.0},  # a city's share of a provincial target
    }


BROKEN = [
    ('target = "WH2027.loans"\nregion = "420102"\nvalue = 250', ["WH2027.loans", "[[target]]"]),
    (f'target = "{LOANS}"\nregion = "999999"\nvalue = 250', ["999999", "regions.toml"]),
    # 黄石市 is under the province, not under Wuhan
    (f'target = "{LOANS}"\nregion = "420200"\nvalue = 250', ["黄石市", "武汉市", "下级"]),
    # the city itself is not one of its units
    (f'target = "{LOANS}"\nregion = "420100"\nvalue = 250', ["武汉市", "下级"]),
    # 汉南区 is reported inside 武汉经开区
    (f'target = "{LOANS}"\nregion = "420113"\nvalue = 20', ["汉南区", "不计入"]),
    (f'target = "{LOANS}"\nregion = "420102"\nvalue = 0', ["value", "大于0"]),
    (f'target = "{LOANS}"\nregion = "420102"\nvalue = -5', ["value", "大于0", "-5"]),
    (f'target = "{LOANS}"\nregion = "420102"\nvalue = "250"', ["value", "类型不对"]),
    (f'target = "{LOANS}"\nregion = "420102"', ["缺少字段 value"]),
    (f'target = "{LOANS}"\nregion = "420102"\nvalue = 250\nnotes = "x"', ["未知字段 notes"]),
]


@pytest.mark.parametrize(("entry", "expected"), BROKEN, ids=[b[0].replace("\n", " ") for b in BROKEN])
def test_a_broken_subtarget_names_the_entry_and_the_problem(data_copy, entry, expected):
    _append(data_copy, entry)
    with pytest.raises(RegistryError) as e:
        load_registry(data_copy)
    message = str(e.value)
    assert message.startswith("登记表有误：data/targets.toml 第") and message.endswith("请改正该文件后重新启动。")
    assert "[[subtarget]]" in message
    for part in expected:
        assert part in message, message


def test_a_duplicate_unit_is_refused_at_its_line(data_copy):
    _append(data_copy, f'target = "{LOANS}"\nregion = "WH_DHGX"\nvalue = 1800', f'target = "{LOANS}"\nregion = "WH_DHGX"\nvalue = 1700')
    lines = (data_copy / "targets.toml").read_text(encoding="utf-8").splitlines()
    last = max(i + 1 for i, ln in enumerate(lines) if ln.strip() == "[[subtarget]]")
    with pytest.raises(RegistryError, match=rf"第{last}行 \[\[subtarget\]\].*{LOANS}.*东湖高新区.*重复"):
        load_registry(data_copy)
