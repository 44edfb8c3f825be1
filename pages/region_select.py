"""The sidebar's 地区 choice, shared by every page and kept in the URL as ?region=东湖高新区.

The choice follows the user across pages and stays in the address (pages/url_state.py): a link seeds it, in
the canonical form (?region=光谷 becomes 东湖高新区), an unknown name gets a one-line notice. The URL carries
the region's Chinese name, as officials read and write it; the default (武汉市) keeps the URL clean.

Call `region_selector()` once per run (dashboard.py does, for every page); a second call in the
same run (a page that also asks) returns the choice instead of drawing a second widget. A page that
opens on another region than 武汉市 says so in pages/common.home_region, before the widget is drawn.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from domain.model import Region, Registry
from pages import url_state

KEY = "region"


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


def _name_of(raw: str, registry: Registry) -> str | None:
    """The canonical name (东湖高新区) for what a link may carry (光谷, a code, an alias); None if unknown."""
    code = resolve_region(raw, registry)
    return registry.regions[code].name if code is not None else None


def _by_name(registry: Registry) -> dict[str, Region]:
    return {r.name: r for r in registry.regions.values()}


def open_on(registry: Registry, region: str) -> None:
    """Before the widget is drawn: open on `region` when neither the link nor the user chose one (a link
    without ?region= means the default, 武汉市). 指标详情 uses it so a province target opens on 湖北省."""
    if st.query_params.get(KEY) is not None or region == registry.city:
        return
    # a 市州 chosen before stays (the target has figures for it); 武汉市 or one of its units would read 尚未分解
    keep = {registry.regions[region].name, *(r.name for r in registry.children(region) if r.code != registry.city)}
    if st.session_state.get(KEY) not in keep:
        st.session_state[KEY] = registry.regions[region].name


def region_selector(registry: Registry, *, container: Any = None) -> Region:
    """Draw the 地区 selectbox (in the sidebar unless `container` is given) and return the chosen region."""
    options = region_options(registry)
    where = container if container is not None else st.sidebar
    default = registry.regions[registry.city].name
    drawn = url_state.this_run()
    if KEY in drawn:  # already drawn in this run (by dashboard.py): exactly what it returned
        name = drawn[KEY]
    else:
        url_state.before_widget(KEY, options, default, what="地区", resolve=lambda raw: _name_of(raw, registry))
        name = where.selectbox("地区", options, key=KEY,
                               help="武汉市16个报送单位与湖北省17个市州；在各页面之间保持，链接中的 ?region= 即此选择")
        url_state.after_widget(KEY, name, default)
        drawn[KEY] = name
    return _by_name(registry).get(name or "", registry.regions[registry.city])


def selected_region(registry: Registry) -> Region:
    """The current choice without drawing anything: the widget's value, else the URL's, else 武汉市."""
    name = st.session_state.get(KEY)
    if name in _by_name(registry):
        return _by_name(registry)[name]
    code = resolve_region(st.query_params.get(KEY), registry)
    return registry.regions[code or registry.city]


def choose_from_chart(chart_key: str, registry: Registry) -> None:
    """on_select callback of a map or ranking whose points carry unit codes (customdata): the clicked unit
    becomes the 地区 choice. A callback runs before the next run draws the selector, so it may set its value;
    it runs only when the selection changed, so a selection the chart keeps does not undo a later choice."""
    state = st.session_state.get(chart_key)
    points = state["selection"]["points"] if state else []
    code = next((p.get("customdata") for p in points if isinstance(p.get("customdata"), str)), None)
    if code in registry.regions:
        st.session_state[KEY] = registry.regions[code].name
