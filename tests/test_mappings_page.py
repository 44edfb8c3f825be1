"""标题与名称对应 (/mappings): analysts and administrators see the remembered answers in words; only an
administrator removes one, after ticking the confirmation; viewers and visitors are refused the page."""

from __future__ import annotations

import pytest

from domain.mappings import IGNORE
from store import Store
from store.access import Actor, operator
from store.mappings import learn, mappings
from tests.streamlit_server import make_account

pytestmark = pytest.mark.usefixtures("cheap_hashes")
PBOC = "人行湖北省分行"


@pytest.fixture
def answered(demo_copy):
    store = Store(demo_copy)
    analyst = Actor(make_account(demo_copy, "李四", "analyst"), "analyst")
    learn(store, analyst, kind="indicator", text="科技贷款（含票据）", key="科技贷款含票据", target="tech_loan_balance",
          agency=PBOC, file_name="10月科技贷款.xlsx", cell="表1!D4")
    learn(store, analyst, kind="region", text="经开区（汉南）", key="经开区汉南", target="WH_JKQ", agency=PBOC)
    learn(store, operator(), kind="indicator", text="备注", key="备注", target=IGNORE)
    return demo_copy


def test_an_administrator_reads_and_removes_an_answer(open_page, sign_in, answered):
    at = sign_in(open_page(None, db=answered), answered, "admin", name="王主任")
    at.switch_page("pages/mappings.py").run()
    assert [t.value for t in at.title] == ["标题与名称对应"]
    table = at.dataframe[0].value
    assert list(table["文件中的写法"]) == ["备注", "经开区（汉南）", "科技贷款（含票据）"]  # newest first
    assert list(table["对应为"]) == ["不导入", "武汉经开区", "科技型企业贷款余额"]
    assert list(table["适用单位"]) == ["所有单位", PBOC, PBOC]
    assert table["单元格"].to_list()[-1] == "表1!D4"

    at.selectbox(key="mapping_kind").set_value("地区").run()
    assert list(at.dataframe[0].value["文件中的写法"]) == ["经开区（汉南）"]

    # Removal waits for the confirmation tick, then goes through the store.
    assert at.button(key="mapping_remove").disabled
    at.checkbox(key="mapping_sure").check().run()
    at.button(key="mapping_remove").click().run()
    assert any("已删除对应关系" in s.value and "重新询问" in s.value for s in at.success)
    assert [m.text for m in mappings(Store(answered)).items] == ["科技贷款（含票据）", "备注"]
    assert not at.checkbox(key="mapping_sure").value  # the tick does not carry over to the next removal


def test_an_analyst_reads_them_but_cannot_remove(open_page, sign_in, answered):
    at = sign_in(open_page(None, db=answered), answered, "analyst", name="李四")
    assert "标题与名称对应" in [p.label for p in at.sidebar.get("page_link")]
    at.switch_page("pages/mappings.py").run()
    assert len(at.dataframe[0].value) == 3
    assert not [b for b in at.button if b.key == "mapping_remove"]
    assert any("请联系管理员" in c.value for c in at.caption)


@pytest.mark.parametrize("role", ["viewer", None])
def test_viewers_and_visitors_are_refused(open_page, sign_in, answered, role):
    at = open_page(None, db=answered)
    if role:
        at = sign_in(at, answered, role)
    assert "标题与名称对应" not in [p.label for p in at.sidebar.get("page_link")]
    at.switch_page("pages/mappings.py").run()
    assert any("仅填报和管理账号可查看" in e.value for e in at.error)
    assert not at.dataframe


def test_no_answers_yet_says_how_they_come(open_page, sign_in, demo_copy):
    at = sign_in(open_page(None, db=demo_copy), demo_copy, "admin", name="王主任")
    at.switch_page("pages/mappings.py").run()
    assert any("还没有已确认的对应关系" in i.value for i in at.info)
