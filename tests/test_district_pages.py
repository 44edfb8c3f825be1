"""分区对比 (/districts) and 湖北目标 (/hubei) in Streamlit's AppTest, on the demo database."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl
import pytest

from metrics import districts
from metrics.series import resolve
from store import Store

OCT26 = dt.date(2026, 10, 31)


def frame(at, column: str):
    """The first st.dataframe with `column` (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def demo_tables(demo_db, registry):
    series = resolve(Store(demo_db).active_observations(), registry)
    return {code: districts.district_table(series, registry, code, OCT26, registry.city)
            for code in ("tech_loan_balance", "seed_firms", "specialized_institutions", "equity_fund_size")}


def test_districts_overview_without_a_unit(open_page, demo_db):
    at = open_page("pages/districts.py", db=demo_db)
    body = texts(at)
    assert "截至2026年10月，16个单位中16个有数据" in body
    assert at.selectbox(key="district_indicator").value == "tech_loan_balance"
    assert at.sidebar.selectbox(key="region").value == "武汉市"
    assert len(at.get("plotly_chart")) == 4  # map, ranking, small multiples, heat table
    assert "选择本单位" in at.info[0].value
    assert not at.tabs  # no unit chosen: no register rows


def test_a_unit_from_the_url_shows_its_indicators_ranks_and_registers(open_page, demo_db, registry, demo_tables):
    at = open_page("pages/districts.py", db=demo_db, region="东湖高新区")
    body = texts(at)
    assert "东湖高新区：全部指标" in body
    loans = demo_tables["tech_loan_balance"].filter(pl.col("region_code") == "WH_DHGX").row(0, named=True)
    assert f"全市第{loans['rank']}名" in body
    profile = frame(at, "近24个月走势")
    assert len(profile) == 6  # every indicator Wuhan's units report in the demo
    row = profile[profile["指标"] == "科技型企业贷款余额"].iloc[0]
    assert row["全市排名"] == f"{loans['rank']}/16"
    assert row["分解目标"] == "1,800.0亿元"  # the demo's example split (data/demo_subtargets.toml) for 东湖高新区
    # The registers behind the counts: as many rows as the counts say.
    seeds = int(demo_tables["seed_firms"].filter(pl.col("region_code") == "WH_DHGX")["value"][0])
    institutions = int(demo_tables["specialized_institutions"].filter(pl.col("region_code") == "WH_DHGX")["value"][0])
    labels = [t.label for t in at.tabs]
    assert f"金种子·银种子企业（{seeds}家）" in labels and f"科技金融专营机构（{institutions}家）" in labels
    seed_rows = frame(at, "企业名称")
    assert len(seed_rows) == seeds and {"企业名称", "梯队层级"} <= set(seed_rows.columns)
    funds = frame(at, "基金名称")
    assert "认缴规模（亿元）" in funds.columns
    assert funds["认缴规模（亿元）"].sum() == pytest.approx(
        demo_tables["equity_fund_size"].filter(pl.col("region_code") == "WH_DHGX")["value"][0])


def test_searching_the_registers(open_page, demo_db):
    at = open_page("pages/districts.py", db=demo_db, region="东湖高新区")
    name = frame(at, "企业名称")["企业名称"].iloc[0]
    at.text_input(key="register_search").input(name).run()
    assert not at.exception
    assert len(frame(at, "企业名称")) == 1
    assert f"其中含“{name}”的1家" in texts(at)


def test_links_by_alias_and_the_indicator_and_colour_in_the_url(open_page, demo_db):
    at = open_page("pages/districts.py", db=demo_db, region="光谷", indicator="seed_firms", color="yoy")
    assert at.sidebar.selectbox(key="region").value == "东湖高新区"
    assert at.selectbox(key="district_indicator").value == "seed_firms"
    assert at.radio(key="district_measure").value == "yoy"
    assert "东湖高新区：全部指标" in texts(at)


def test_a_wuhan_unit_in_the_link_marks_wuhan_on_the_hubei_page(open_page, demo_db):
    # The real browser test follows the choice from /districts to /hubei; AppTest has no URL bar.
    at = open_page("pages/hubei.py", db=demo_db, region="东湖高新区")
    assert at.sidebar.selectbox(key="region").value == "东湖高新区"
    assert "东湖高新区属武汉市，此处标出武汉市" in texts(at)


def test_a_unit_that_did_not_report_reads_未报送(open_page, demo_copy, registry):
    with duckdb.connect(str(demo_copy)) as con:
        con.execute("DELETE FROM observations WHERE indicator_code = 'tech_loan_balance' AND region_code = 'WH_DHFJ' "
                    "AND period = DATE '2026-10-31'")
    # (this copy is its own file: no cached query of the demo database is taken for it, see Store.revision)
    at = open_page("pages/districts.py", db=demo_copy, region="东湖风景区")
    body = texts(at)
    assert "16个单位中15个有数据；**未报送**：东湖风景区" in body
    assert f"{registry.indicators['tech_loan_balance'].short_zh} 未报送" in body
    rows = frame(at, "排名")
    assert rows[rows["单位"] == "东湖风景区"].iloc[0]["数值（亿元）"] == "未报送"
    assert rows[rows["单位"] == "东湖风景区"].iloc[0]["排名"] == "—"


def test_hubei_goals_by_city(open_page, demo_db, registry):
    at = open_page("pages/hubei.py", db=demo_db, region="宜昌市")
    body = texts(at)
    assert "17个市州中17个有数据" in body
    assert len(at.metric) == 4
    assert {m.label for m in at.metric} == {registry.indicators[t.indicator].short_zh
                                            for t in registry.targets.values() if t.document == "HB2026"}
    assert at.radio(key="hubei_goal").value == "tech_sme_borrowers"
    assert len(at.get("plotly_chart")) == 3  # map, ranking, heat table
    rows = frame(at, "排名")
    assert len(rows) == 17 and rows["单位"].iloc[0] == "武汉市"


def test_hubei_share_goal_says_why_a_city_has_no_ratio(open_page, demo_db):
    at = open_page("pages/hubei.py", db=demo_db, indicator="star_chinext_bse_share")
    assert at.radio(key="hubei_goal").value == "star_chinext_bse_share"
    assert "神农架林区：上市公司数为0，无法计算" in texts(at)
    rows = frame(at, "排名")
    assert rows[rows["单位"] == "宜昌市"].iloc[0]["同比"].endswith("个百分点")


@pytest.mark.parametrize("page", ["pages/districts.py", "pages/hubei.py"])
def test_empty_database_says_what_to_do(open_page, tmp_path, page):
    at = open_page(page, db=tmp_path / "empty.duckdb")
    assert "还没有任何数据" in at.info[0].value
    assert not at.get("plotly_chart")


def test_the_small_trend_charts_on_one_scale_or_each_on_its_own(open_page, demo_db):
    at = open_page("pages/districts.py", db=demo_db)

    def multiples() -> dict:
        layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
        return next(lay for lay in layouts if "近24个月走势" in lay["title"]["text"])

    shared = multiples()
    axes = [k for k in shared if k.startswith("yaxis")]
    assert len(axes) == 16 and all(shared[k].get("range") == shared["yaxis"]["range"] for k in axes)
    assert "同一纵轴" in json.dumps(shared, ensure_ascii=False)
    at.radio(key="multiples_scale").set_value("own").run()
    own = multiples()
    assert not any(own[k].get("range") or own[k].get("matches") for k in axes)  # each unit on its own scale
    assert all(own[k]["tickformat"] == "," for k in axes)  # 1,500, never 1.5k
    assert "各自纵轴" in json.dumps(own, ensure_ascii=False)


def test_every_view_of_the_sub_targets_says_they_are_examples(open_page, demo_db):
    from presentation.labels import SUBTARGETS_ARE_EXAMPLES

    at = open_page("pages/districts.py", db=demo_db, region="江岸区")
    captions = [c.value for c in at.caption]
    assert any(SUBTARGETS_ARE_EXAMPLES in c for c in captions)  # the unit judged against its sub-targets
    at.radio(key="heat_measure").set_value("subtarget_completion").run()
    assert [c.value for c in at.caption].count(SUBTARGETS_ARE_EXAMPLES) == 1  # the sub-target completion table
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    assert any("分解目标（示例）" in (a.get("text") or "") for lay in layouts for a in lay.get("annotations", []))


def test_real_figures_without_demo_data_carry_no_example_split(open_page, tmp_path, registry):
    """The example split comes with the demo only: a database of agency files judges no unit and says no 示例."""
    from loaders.ingest import ingest
    from presentation.labels import SUBTARGETS_ARE_EXAMPLES
    from tests.paths import FIXTURES

    db = tmp_path / "real.duckdb"
    path = FIXTURES / "pboc_loans_202610.xlsx"
    assert ingest(Store(db), path.read_bytes(), path.name, registry, uploader="分析员").status == "ok"
    at = open_page("pages/districts.py", db=db, region="东湖高新区")
    profile = frame(at, "近24个月走势")
    assert profile[profile["指标"] == "科技型企业贷款余额"].iloc[0]["分解目标"] == "—"
    assert not any(SUBTARGETS_ARE_EXAMPLES in c.value for c in at.caption)
    assert "示例" not in at.radio(key="heat_measure").options[1]
    at.radio(key="heat_measure").set_value("subtarget_completion").run()
    assert any("尚未登记任何分解目标" in i.value for i in at.info)
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    assert not any("分解目标" in (a.get("text") or "") for lay in layouts for a in lay.get("annotations", []))
