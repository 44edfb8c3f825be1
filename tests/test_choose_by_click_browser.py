"""Where the eye goes next, in Chromium: a click on a ranking bar or on a unit's name on the map chooses that unit
(the sidebar's 地区 and the address follow), also on a phone, where the sidebar is hidden."""

from __future__ import annotations

import pytest

from tests.streamlit_server import chromium

pytestmark = pytest.mark.browser

CHARTS = "document.querySelectorAll('.js-plotly-plot')"


def click_point(page, chart_title: str, code: str) -> None:
    """Click, with the mouse, the point of the chart titled `chart_title` whose customdata is `code`."""
    find = f"""() => {{
        const gd = [...{CHARTS}].find(g => (g.layout.title.text || '').includes({chart_title!r}));
        for (const [t, trace] of gd.data.entries()) {{
            const i = (trace.customdata || []).indexOf({code!r});
            if (i < 0) continue;
            const node = [...gd.querySelectorAll('g.trace')].find(n => n.__data__?.[0]?.trace?.index === t);
            const group = node.querySelectorAll('.point')[i];
            const point = group.querySelector('path') || group;  // a bar's shape, not its value label
            point.scrollIntoView({{block: 'center', behavior: 'instant'}});
            const r = point.getBoundingClientRect();
            return {{x: r.x + Math.max(r.width / 2, 4), y: r.y + r.height / 2}};
        }}
        return null; }}"""
    page.evaluate(find)  # scrolled into view; its place is read once the page stands still
    page.wait_for_timeout(500)
    box = page.evaluate(find)
    assert box, f"no point {code} in {chart_title}"
    # As a hand does: over the point first (Plotly's click acts on what is hovered), then the click.
    page.mouse.move(box["x"], box["y"])
    page.wait_for_timeout(300)
    page.mouse.click(box["x"], box["y"])


def chosen(page) -> str:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    return box.text_content() + " " + " ".join(i.input_value() for i in box.locator("input").all())


@pytest.mark.parametrize("width", [1600, 390])
def test_a_click_on_the_ranking_or_the_map_chooses_the_unit(demo_dashboard, width):
    url = demo_dashboard
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.goto(url + "/districts")
        page.wait_for_function(f"{CHARTS}.length >= 3", timeout=60_000)
        page.wait_for_timeout(500)

        click_point(page, "排名", "420102")  # 江岸区's bar
        page.get_by_role("heading", name="江岸区：全部指标").wait_for(timeout=30_000)
        assert "region=%E6%B1%9F%E5%B2%B8%E5%8C%BA" in page.url  # ?region=江岸区

        page.wait_for_function(f"{CHARTS}.length >= 3", timeout=60_000)
        click_point(page, "各单位", "420104")  # 硚口区's name on the map (its enlarged centre)
        page.get_by_role("heading", name="硚口区：全部指标").wait_for(timeout=30_000)
        assert "region=%E7%A1%9A%E5%8F%A3%E5%8C%BA" in page.url  # ?region=硚口区
        if width > 600:
            assert "硚口区" in chosen(page)  # the sidebar's selector follows
