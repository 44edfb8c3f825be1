"""The registries in data/ are complete, and a broken one stops with a message naming the fix."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest

from domain.errors import RegistryError
from domain.registry import load_registry
from tests.paths import FIXTURES, ROOT

# The codes of shared/TARGETS.md (the plans' indicators), committed for checkouts without ../shared.
TARGETS_MD_SNAPSHOT = FIXTURES / "targets_md_codes.txt"

WH2027 = ["specialized_institutions", "equity_fund_size", "tech_loan_balance", "seed_firms", "hanrongtong_products",
          "tech_insurance_products"]
HB2026 = ["tech_sme_borrowers", "tech_sme_loan_balance", "star_chinext_bse_share", "tech_guarantee_balance"]


def test_every_target_of_the_plans_is_registered(registry):
    assert [t.indicator for t in registry.targets.values() if t.document == "WH2027"] == WH2027
    assert [t.indicator for t in registry.targets.values() if t.document == "HB2026"] == HB2026
    hb = {t.indicator: t for t in registry.targets.values() if t.document == "HB2026"}
    assert hb["tech_sme_borrowers"].kind == "growth_vs_baseline" and hb["tech_sme_borrowers"].value == 1.7
    assert hb["tech_sme_loan_balance"].kind == "cagr" and hb["tech_sme_loan_balance"].value == pytest.approx(0.2)
    assert all(t.region == "420000" and t.deadline.isoformat() == "2026-12-31" for t in hb.values())


def targets_md() -> Path | None:
    """shared/TARGETS.md: in $TFM_SHARED_DIR when that is set, else in ../shared beside the repository."""
    if folder := os.environ.get("TFM_SHARED_DIR"):
        path = Path(folder) / "TARGETS.md"
        assert path.is_file(), f"TFM_SHARED_DIR={folder} has no TARGETS.md"
        return path
    path = ROOT.parent / "shared" / "TARGETS.md"
    return path if path.is_file() else None


def test_every_code_in_targets_md_is_an_indicator(registry):
    snapshot = {ln.strip() for ln in TARGETS_MD_SNAPSHOT.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")}
    md = targets_md()
    if md is None:
        if os.environ.get("CI"):
            pytest.fail("shared/TARGETS.md not found (neither $TFM_SHARED_DIR nor ../shared): on CI the registry must be "
                        "checked against it. Check out shared/ beside the repository or set TFM_SHARED_DIR.")
        warnings.warn("shared/TARGETS.md not found: checked against tests/fixtures/targets_md_codes.txt instead",
                      stacklevel=1)
        codes = snapshot
    else:
        codes = set(re.findall(r"^\| `([a-z_]+)`", md.read_text(encoding="utf-8"), flags=re.M))
        assert snapshot == codes, (f"{TARGETS_MD_SNAPSHOT.relative_to(ROOT)} is out of date with {md}: add "
                                   f"{sorted(codes - snapshot)}, remove {sorted(snapshot - codes)}")
    assert codes, "no indicator codes read"
    indicators = set(registry.indicators)
    assert codes == indicators, (f"in TARGETS.md but not data/indicators.toml: {sorted(codes - indicators)}; "
                                 f"in data/indicators.toml but not TARGETS.md: {sorted(indicators - codes)}")


def test_regions_cover_wuhan_units_hubei_cities_and_district_adcodes(registry):
    wuhan_units = [r for r in registry.regions.values() if r.parent == "420100" and r.sums_to_parent]
    assert len(wuhan_units) == 16
    hubei = [r for r in registry.regions.values() if r.parent == "420000"]
    assert len(hubei) == 17
    adcodes = {r.adcode for r in registry.regions.values() if r.adcode and r.parent == "420100"}
    assert adcodes == {f"4201{n:02d}" for n in (2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17)}


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


BROKEN = [
    ("targets.toml", 'comparator = ">="', 'comparator = "=>"', ["targets.toml", "WH2027.specialized_institutions",
                                                                 "comparator", "=>"]),
    ("targets.toml", 'indicator = "tech_loan_balance"', 'indicator = "tech_loans"',
     ["targets.toml", "WH2027.tech_loan_balance", "tech_loans", "indicators.toml"]),
    ("targets.toml", 'region = "420100"', 'region = "999999"', ["targets.toml", "999999"]),
    ("indicators.toml", 'unit = "亿元"', 'unit = "万亿"', ["indicators.toml", "equity_fund_size", "unit", "万亿"]),
    ("indicators.toml", 'kind = "stock"', 'kind = "level"', ["indicators.toml", "kind", "level"]),
    ("regions.toml", 'parent = "420000"', 'parent = "430000"', ["regions.toml", "430000"]),
    ("status.toml", "on_track = 0.95", "on_track = 0.5", ["status.toml", "thresholds"]),
    ("targets.toml", "deadline = 2027-12-31", 'deadline = "明年"', ["targets.toml", "deadline"]),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN, ids=[b[1] + "→" + b[2] for b in BROKEN])
def test_a_broken_registry_names_file_entry_and_problem(data_copy, file, old, new, expected):
    _edit(data_copy / file, old, new)
    with pytest.raises(RegistryError) as e:
        load_registry(data_copy)
    message = str(e.value)
    for part in expected:
        assert part in message
    assert message.startswith("登记表有误") and message.endswith("请改正该文件后重新启动。")


def test_the_error_points_at_the_line_of_the_entry(data_copy):
    path = data_copy / "targets.toml"
    _edit(path, 'value = 500\n', 'value = "五百"\n')
    lines = path.read_text(encoding="utf-8").splitlines()
    header_line = max(i + 1 for i, ln in enumerate(lines[: lines.index('id = "WH2027.seed_firms"')])
                      if ln.strip() == "[[target]]")
    with pytest.raises(RegistryError, match=rf"第{header_line}行 \[\[target\]\]「WH2027.seed_firms」.*value"):
        load_registry(data_copy)


def test_a_misspelt_field_is_refused_not_ignored(data_copy):
    _edit(data_copy / "targets.toml", "baseline_date = 2024-08-31", "baseline_date = 2024-08-31\nbaselin_value = 14000")
    with pytest.raises(RegistryError, match=r"HB2026\.tech_sme_borrowers.*未知字段 baselin_value"):
        load_registry(data_copy)


def test_duplicate_alias_across_indicators_is_refused(data_copy):
    _edit(data_copy / "indicators.toml", 'aliases = ["股权投资基金规模"', 'aliases = ["科技贷款余额", "股权投资基金规模"')
    with pytest.raises(RegistryError, match="别名「科技贷款余额」已属于指标"):
        load_registry(data_copy)


def test_invalid_toml_names_the_file(data_copy):
    (data_copy / "regions.toml").write_text("[[region]\ncode = ", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"data/regions.toml 不是有效的 TOML"):
        load_registry(data_copy)


def test_missing_file_is_named(data_copy):
    (data_copy / "status.toml").unlink()
    with pytest.raises(RegistryError, match=r"找不到文件 data/status\.toml"):
        load_registry(data_copy)
