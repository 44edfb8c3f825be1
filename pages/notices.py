"""The notice strip on 总览: what needs an official's attention this morning — targets whose status worsened since
last month, sources overdue or missing (named with their agency), data problems nobody has checked yet. The same
facts as the morning digest (reports/digest.py), cached per revision of the store and per day."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from domain import clock
from domain.calendar import default_calendar
from pages import common, url_state
from presentation.fmt import md_text
from reports.digest import Digest, gather

SHOWN = 3  # items of a kind named on the strip; the rest are counted, and listed on 数据质量


@st.cache_data(show_spinner=False, max_entries=8)
def _digest(db: str, rev: str, as_of: dt.date, today: dt.date) -> Digest:
    return gather(common.store(), common.registry(), default_calendar(), as_of, today)


def _some(items: list[str]) -> str:
    shown = "；".join(md_text(i) for i in items[:SHOWN])
    return shown + (f"；另有{len(items) - SHOWN}项" if len(items) > SHOWN else "")


def notice_strip(as_of: dt.date) -> None:
    """One warning block with a line per kind of notice; nothing when all is well."""
    d = _digest(str(common.db_path()), common.revision(), as_of, clock.today())
    if d.empty:
        return
    lines = []
    if d.worsened:
        lines.append(f"**状态变差**（{len(d.worsened)}项）：{_some(d.worsened)}")
    if d.overdue:
        lines.append(f"**逾期与未报送**（{len(d.overdue)}项）：{_some(d.overdue)}")
    if d.lines:
        kinds: dict[str, int] = {}
        for kind, _summary, _where in d.lines:
            kinds[kind] = kinds.get(kind, 0) + 1
        lines.append(f"**待核实的数据问题**（{len(d.lines)}条）："
                     + "、".join(f"{md_text(k)}{n}条" for k, n in kinds.items()))
    link = "quality" + (f"?{urlencode(carried)}" if (carried := url_state.carried(("as_of",))) else "")
    st.warning("  \n".join(lines) + f"  \n[查看数据质量 →]({link})", icon=":material/notifications:")
