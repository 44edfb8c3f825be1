"""Every page runs in Streamlit's AppTest without an exception, on the demo database and on none."""

from __future__ import annotations

import ast

import pytest

from tests.paths import ROOT


def registered_pages() -> list[str]:
    """The page files dashboard.py routes to (its PAGES table), read without running Streamlit."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    table = next(n.value for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES")
    return [path for path, *_ in ast.literal_eval(table) if (ROOT / path).exists()]


PAGES = registered_pages()


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [t.value for t in at.title] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_on_the_demo_database(open_page, demo_db, page):
    open_page(page, db=demo_db)  # asserts no exception, and that this page is the one that ran


def test_overview_shows_every_target_with_status_and_sources(open_page, demo_db, registry):
    at = open_page(db=demo_db)
    body = texts(at)
    assert "演示数据" in body  # the banner
    assert "截至2026年10月" in body
    blocks = [h.proto.body for h in at.get("html") if 'class="tfm-grid"' in h.proto.body]
    assert len(blocks) == 2  # one block of cards per plan
    cards = [c for block in blocks for c in block.split('<div class="tfm-card"')[1:]]
    assert len(cards) == len(registry.targets)  # one card per target: gauge, trend, sentence, sources, link
    for target in registry.targets.values():
        name = registry.indicators[target.indicator].name_zh
        assert any(name in card for card in cards), name
    assert not at.get("plotly_chart")  # drawn without Plotly; the deck's figure comes with 下载图片
    for target in registry.targets.values():  # each card opens its 指标详情
        assert any(f'href="indicator?indicator={target.indicator}"' in card for card in cards), target.indicator
    assert at.sidebar.selectbox(key="as_of").value == "2026-10"
    assert any("人行武汉分行营管部" in card for card in cards)  # a traceable source, folded in each card


def test_as_of_in_the_url_selects_that_month(open_page, demo_db):
    at = open_page(db=demo_db, as_of="2025-12")
    assert at.sidebar.selectbox(key="as_of").value == "2025-12"
    assert "截至2025年12月" in texts(at)


def test_changing_the_month_updates_the_page(open_page, demo_db):
    at = open_page(db=demo_db)
    at.sidebar.selectbox(key="as_of").set_value("2026-01").run()
    assert not at.exception
    assert "截至2026年1月" in texts(at)


def test_empty_database_says_what_to_do(open_page, tmp_path):
    at = open_page(db=tmp_path / "empty.duckdb")
    assert "还没有任何数据" in at.info[0].value


def test_broken_registry_stops_with_the_named_error(open_page, data_copy, demo_db):
    path = data_copy / "targets.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('comparator = ">="', 'comparator = "=>"', 1),
                    encoding="utf-8")
    at = open_page(db=demo_db, data_dir=data_copy)
    assert "targets.toml" in at.error[0].value and "comparator" in at.error[0].value
    assert not at.get("plotly_chart")
