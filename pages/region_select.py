"""The sidebar's 地区 choice, shared by every page and kept in the URL as ?region=东湖高新区.

The selectbox is bound to the query parameter (Streamlit's `bind="query-params"`): the URL seeds it,
a choice updates the URL, and the value follows the user across pages. The URL carries the region's
Chinese name, as officials read and write it; the default (武汉市) keeps the URL clean.

Call `region_selector()` once per run (dashboard.py does, for every page); a second call in the
same run (a page that also asks) returns the choice instead of drawing a second widget. A page that
opens on another region than 武汉市 says so in pages/common.home_region, before the widget is drawn.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from domain.model import Region, Registry

KEY = "region"
CHOICE = "_region_choice"


def region_options(registry: Registry) -> list[str]:
    """Region names in the order offered: the city (武汉市) and its 16 units, then the province (湖北省) and
    its other 市州 (registry.city, registry.province)."""
    city, province = registry.city, registry.province
    wuhan = [city, *(r.code for r in registry.children(city))]
    hubei = [province, *(r.code for r in registry.children(province) if r.code != city)]
    return [registry.regions[c].name for c in wuhan + hubei if c in registry.regions]


def resolve_region(text: str | None, registry: Registry) -> str | None:
    """A region code from a name, short name, alias or code as a link may carry it; None if unknown.

    A region reported by another (汉南区) resolves to the reporting unit (武汉经开区).
    """
    if not text:
        return None
    wanted = text.strip()
    for r in registry.regions.values():
        if wanted in (r.code, r.name, r.short, *r.aliases):
            return r.reported_by or r.code
    return None


def _by_name(registry: Registry) -> dict[str, Region]:
    return {r.name: r for r in registry.regions.values()}


def _normalise_url(registry: Registry, options: list[str]) -> None:
    """Before the widget exists: turn ?region=光谷 or ?region=WH_DHGX into the canonical name, which the
    bound widget accepts (it drops values that are not one of its options)."""
    raw = st.query_params.get(KEY)
    if raw is None or raw in options or KEY in st.session_state:
        return
    code = resolve_region(raw, registry)
    if code is not None and registry.regions[code].name in options:
        st.session_state[KEY] = registry.regions[code].name


def open_on(registry: Registry, region: str) -> None:
    """Before the widget is drawn: open on `region` when neither the link nor the user chose one (a link
    without ?region= means the default, 武汉市). 指标详情 uses it so a province target opens on 湖北省."""
    if st.query_params.get(KEY) is None and region != registry.city:
        st.session_state[KEY] = registry.regions[region].name


def region_selector(registry: Registry, *, container: Any = None) -> Region:
    """Draw the 地区 selectbox (in the sidebar unless `container` is given) and return the chosen region."""
    options = region_options(registry)
    where = container if container is not None else st.sidebar
    try:
        _normalise_url(registry, options)
        name = where.selectbox("地区", options, key=KEY, bind="query-params", persist_state="session",
                               help="武汉市16个报送单位与湖北省17个市州；链接中的 ?region= 即此选择")
        # What the widget returned this run: a later call in the same run (a page after dashboard.py)
        # must see exactly this, also on the run that turned ?region=光谷 into 东湖高新区.
        st.session_state[CHOICE] = name
    except StreamlitDuplicateElementKey:  # already drawn in this run (by dashboard.py)
        name = st.session_state.get(CHOICE, st.session_state.get(KEY))
    return _by_name(registry).get(name or "", registry.regions[registry.city])


def selected_region(registry: Registry) -> Region:
    """The current choice without drawing anything: the widget's value, else the URL's, else 武汉市."""
    name = st.session_state.get(KEY)
    if name in _by_name(registry):
        return _by_name(registry)[name]
    code = resolve_region(st.query_params.get(KEY), registry)
    return registry.regions[code or registry.city]
