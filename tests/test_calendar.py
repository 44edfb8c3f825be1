"""The reporting calendar (data/calendar.toml, domain.calendar) and each submission placed on it (metrics.quality.place),
with files uploaded through the real path on days fixed by the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from domain import clock
from domain.calendar import load_calendar, month_ends
from domain.errors import RegistryError
from domain.months import add_months, month_end
from loaders.ingest import ingest
from metrics.quality import overdue, place
from store import Store
from store.access import operator
from tests.agency_files import loans_file

UNITS = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "蔡甸区", "江夏区", "黄陂区", "新洲区",
         "东湖高新区", "武汉经开区", "长江新区", "东湖风景区"]


def city_loans(month: int, *, scale: float = 1.0, note: str = "") -> bytes:
    values = {u: round(100 * scale + i, 1) for i, u in enumerate(UNITS)}
    return loans_file(month, {"合计": round(sum(values.values()), 1), **values}, note=note)


def upload(store: Store, registry, content: bytes, name: str, at: dt.datetime) -> int:
    with clock.frozen(at):
        report = ingest(store, content, name, registry, uploader="测试")
    assert report.status == "ok", report.message
    return report.commit.submission_id


@pytest.fixture(scope="module")
def calendar(registry):
    from domain.registry import DATA_DIR

    return load_calendar(DATA_DIR, registry)


def test_the_calendar_says_what_each_source_owes_and_when(calendar, registry):
    loans = calendar.source("pboc_loans")
    assert set(loans.indicators) == {"tech_loan_balance", "tech_firm_borrowers"} and loans.units
    assert loans.due(month_end(2026, 10)) == dt.date(2026, 11, loans.due_day)
    assert all(loans.owes(month_end(2026, m)) for m in range(1, 13))
    quarterly = next(s for s in calendar.sources if s.frequency == "quarterly")
    owed = [m for m in range(1, 13) if quarterly.owes(month_end(2027, m))]
    assert owed == [3, 6, 9, 12]
    assert quarterly.since is not None and not quarterly.owes(add_months(quarterly.since, -3))  # before its `since`
    # Every dataset the demo's files carry answers exactly one source.
    for dataset in ("table:tech_firm_borrowers,tech_loan_balance@420100", "register:funds",
                    "table:hanrongtong_products,tech_insurance_products@420000"):
        assert len(calendar.answered_by(dataset)) == 1, dataset


def test_a_due_day_past_the_months_end_is_its_last_day(calendar):
    from dataclasses import replace

    late_in_month = replace(calendar.source("pboc_loans"), due_day=31)
    assert late_in_month.due(month_end(2026, 1)) == dt.date(2026, 2, 28)
    yearly = replace(late_in_month, frequency="yearly", months_after=2)
    assert yearly.owes(month_end(2026, 12)) and not yearly.owes(month_end(2026, 11))
    assert yearly.due(month_end(2026, 12)) == dt.date(2027, 2, 28)


def test_a_broken_calendar_names_file_line_and_every_problem(data_copy: Path, registry):
    path = data_copy / "calendar.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('indicators = ["tech_loan_balance", "tech_firm_borrowers"]',
                        'indicators = ["tech_loan_balanse", "tech_firm_borrowers"]')
    text = text.replace('frequency = "quarterly"', 'frequency = "weekly"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_calendar(data_copy, registry)
    message = str(err.value)
    line = next(i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == 'id = "pboc_loans"') - 1
    assert f"data/calendar.toml 第{line}行" in message
    assert "tech_loan_balanse" in message and "weekly" in message  # both problems, in one pass


def test_each_submission_is_placed_on_time_late_corrected_or_missing(registry, calendar, tmp_path):
    store = Store(tmp_path / "q.duckdb")
    upload(store, registry, city_loans(6), "06.xlsx", dt.datetime(2026, 7, 3, 9))
    upload(store, registry, city_loans(7), "07.xlsx", dt.datetime(2026, 8, 10, 9))
    upload(store, registry, city_loans(7, note="（更正）"), "07更正.xlsx", dt.datetime(2026, 8, 20, 9))
    upload(store, registry, city_loans(8), "08.xlsx", dt.datetime(2026, 9, 15, 23, 59))  # on the due day
    late = upload(store, registry, city_loans(9), "09.xlsx", dt.datetime(2026, 10, 20, 9))
    withdrawn = upload(store, registry, city_loans(5), "05.xlsx", dt.datetime(2026, 6, 1, 9))
    store.rollback(withdrawn, operator())
    months = month_ends(month_end(2026, 10), 6)
    loans = calendar.source("pboc_loans")

    def states(today: dt.date) -> dict[int, str]:
        return {p.period.month: p.state for p in place(calendar, store.submissions(), months, today)
                if p.source_id == loans.id}

    after = states(dt.date(2026, 11, 20))
    assert after == {5: "missing", 6: "on_time", 7: "corrected", 8: "on_time", 9: "late", 10: "missing"}
    assert states(loans.due(month_end(2026, 10)))[10] == "pending"  # on its due day it is not yet missing
    placed = {p.period.month: p for p in place(calendar, store.submissions(), months, dt.date(2026, 11, 20))
              if p.source_id == loans.id}
    assert placed[9].days_late == (dt.date(2026, 10, 20) - loans.due(month_end(2026, 9))).days
    assert placed[9].submission_id == late and placed[7].versions == 2
    chased = [(p.source_id, p.period.month, p.state) for p in overdue(list(placed.values()))]
    assert chased == [(loans.id, 5, "missing"), (loans.id, 10, "missing")]  # the latest month counts once
