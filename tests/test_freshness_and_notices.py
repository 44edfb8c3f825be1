"""Every figure says how fresh and complete it is (数据截至 / 报送于 / 14/16个单位已报送), and 总览 carries a notice
strip of what needs attention (the morning digest's facts): real files through the real upload path, the real
app through dashboard.py."""

from __future__ import annotations

import datetime as dt

from domain import clock
from loaders.ingest import ingest
from metrics.freshness import freshness
from metrics.series import resolve
from metrics.standing import standings
from presentation.fmt import freshness_line
from store import Store
from tests.agency_files import loans_file

OCT = dt.date(2026, 10, 31)


def html_of(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def loans_store(tmp_path, registry, units: dict[str, float]) -> Store:
    store = Store(tmp_path / "t.duckdb")
    with clock.frozen(dt.datetime(2026, 11, 12, 9, 30)):
        for month in (9, 10):
            assert ingest(store, loans_file(month, {"武汉市": 4000.0 + month, **units}), f"2026{month:02d}.xlsx",
                          registry).status == "ok"
    return store


def test_a_total_whose_units_have_not_all_reported_says_so(tmp_path, registry, open_page):
    store = loans_store(tmp_path, registry, {"江岸区": 100.0, "江汉区": 200.0})
    series = resolve(store.active_observations(), registry)
    loans = next(s for s in standings(series, registry, OCT) if s.indicator_code == "tech_loan_balance"
                 and s.region_code == registry.city)
    f = freshness(loans, series, registry)
    assert (f.data_month, f.reported_on, f.units_reported, f.units_expected) == (OCT, dt.date(2026, 11, 12), 2, 16)
    assert f.incomplete
    line = freshness_line(f)
    assert line == "数据截至2026年10月 · 报送于2026年11月12日 · 2/16个单位已报送（合计可能不全）"

    at = open_page(None, db=store.path)
    assert line in html_of(at) and "tfm-incomplete" in html_of(at)  # on its card, marked
    detail = open_page("pages/indicator.py", db=store.path, indicator="tech_loan_balance")
    assert any(line in w.value for w in detail.warning)  # and on 指标详情


def test_a_figure_no_unit_reports_has_no_count(tmp_path, registry):
    store = loans_store(tmp_path, registry, {})
    series = resolve(store.active_observations(), registry)
    loans = next(s for s in standings(series, registry, OCT) if s.indicator_code == "tech_loan_balance"
                 and s.region_code == registry.city)
    f = freshness(loans, series, registry)
    assert f.units_expected is None and not f.incomplete
    assert freshness_line(f) == "数据截至2026年10月 · 报送于2026年11月12日"


def test_the_overview_names_what_is_overdue_and_what_is_unchecked(open_page, demo_db):
    at = open_page(None, db=demo_db)
    strip = next(w.value for w in at.warning if "逾期与未报送" in w.value)
    # the demo's late fund register and its missing quarterly loans, each with its agency
    assert "市财政局" in strip and "逾期" in strip and "未报送" in strip and "人行湖北省分行" in strip
    assert "待核实的数据问题" in strip and "(quality" in strip
