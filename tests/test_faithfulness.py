"""The registries say what the policy texts say and nothing more (issue 13 item 6).

- WHC's text carries no number, issuer or date: the registry leaves them empty, and every caption says so
  instead of guessing;
- 科技贷款余额 is the PBOC's own statistic (sci_tech_loan_balance), never an alias of 科技型企业贷款余额;
- loans come from 人行湖北省分行 (人行武汉分行营管部 is the 2016 name);
- the 60 insurance products are a target of WH2027 task 14, the 东湖 demonstration zone: the target's note says so
  in the task's own words.
"""

from __future__ import annotations

import re
import shutil
import tomllib

import pytest

from domain.errors import RegistryError
from domain.registry import load_registry
from presentation.fmt import document_origin
from tests.paths import ROOT

DATA_DIR = ROOT / "data"

SEEDS = DATA_DIR / "seeds"
WHC_SEED = (SEEDS / "002_3efbdf18d216e6a7.txt").read_text(encoding="utf-8")
BRIEF_SEED = (SEEDS / "004_b575fdfc2b5a798a.txt").read_text(encoding="utf-8")
LOAN_INDICATORS = ("tech_loan_balance", "tech_firm_borrowers", "tech_firm_loan_access_rate", "tech_sme_borrowers",
                   "tech_sme_loan_balance", "sci_tech_loan_balance")


@pytest.fixture(scope="module")
def reg():
    return load_registry(DATA_DIR)


def test_whc_number_issuer_and_date_are_left_empty_because_its_text_has_none(reg):
    whc = reg.documents["WHC"]
    assert (whc.number, whc.issuer, whc.issued) == ("", "", None)
    # the text really carries none: no 〔year〕 number, no 年月日 date, no issuing office in it
    assert not re.search(r"〔\d{4}〕", WHC_SEED)
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", WHC_SEED)
    assert "委员会办公室" not in WHC_SEED
    assert document_origin(whc) == "（文件未载明文号、发文单位和印发日期）"


def test_a_document_that_says_its_number_and_date_is_cited_with_them(reg):
    assert document_origin(reg.documents["WH2027"]) == "武汉市人民政府办公厅，2025年6月7日印发"
    assert document_origin(reg.documents["HB2026"]) == "湖北省人民政府办公厅，2024年8月8日印发（文件未载明文号）"


def test_the_tasks_page_caption_does_not_guess_whc(reg):
    from domain.tasks import default_tasks
    from presentation.tasks import plan_caption

    caption = plan_caption(default_tasks(), reg, "WHC")
    assert caption.startswith("高水平推进武汉科技金融中心建设的工作方案（文件未载明文号、发文单位和印发日期）：65项任务。")
    assert "〔" not in caption and "，：" not in caption
    assert plan_caption(default_tasks(), reg, "WH2027").startswith(
        "武汉市推动科技金融高质量发展加快建设全国科技金融中心行动方案（2025—2027年）（武政办〔2025〕67号），"
        "武汉市人民政府办公厅，2025年6月7日印发：20项任务。")


def test_a_target_of_a_document_without_a_date_needs_its_own_baseline_date(tmp_path):
    for name in ("indicators", "regions", "targets", "status", "registers"):
        shutil.copy(DATA_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    text = (tmp_path / "targets.toml").read_text(encoding="utf-8")
    # move WH2027's first target to WHC, which has no issue date, without a baseline date
    text = text.replace('id = "WH2027.specialized_institutions"\ndocument = "WH2027"',
                        'id = "WH2027.specialized_institutions"\ndocument = "WHC"', 1)
    (tmp_path / "targets.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    assert "未载明印发日期" in str(e.value) and "baseline_date" in str(e.value)


def test_sci_tech_loans_are_their_own_statistic_not_an_alias_of_loans_to_tech_firms(reg):
    assert "科技贷款余额" in reg.indicators["sci_tech_loan_balance"].aliases
    assert "科技贷款余额" not in reg.indicators["tech_loan_balance"].aliases
    owners = [code for code, ind in reg.indicators.items() for a in ind.aliases if a == "科技贷款余额"]
    assert owners == ["sci_tech_loan_balance"]
    # no alias of loans to tech firms is a PBOC sci-tech loan heading in disguise
    assert not [a for a in reg.indicators["tech_loan_balance"].aliases if a.startswith("科技贷款")]


def test_loans_come_from_the_hubei_branch_of_the_pboc(reg):
    for code in LOAN_INDICATORS:
        assert reg.indicators[code].source == "人行湖北省分行", code
    raw = (DATA_DIR / "indicators.toml").read_text(encoding="utf-8")
    assert 'source = "人行武汉分行营管部"' not in raw


def test_the_insurance_products_target_says_it_sits_in_the_donghu_demonstration_zone_task(reg):
    target = reg.targets["WH2027.tech_insurance_products"]
    assert "任务14" in target.note and "高水平建设东湖科技保险创新示范区" in target.note
    # the task's title and its units are quoted from the seed word for word
    quoted = re.findall(r"“([^”]+)”|（([^）]+)）", target.note)
    for title, units in quoted:
        assert (title or units) in BRIEF_SEED
    assert "14.高水平建设东湖科技保险创新示范区" in BRIEF_SEED and "科技保险在库产品达到60个" in BRIEF_SEED


def test_target_note_is_checked_like_every_field(tmp_path):
    for name in ("indicators", "regions", "targets", "status", "registers"):
        shutil.copy(DATA_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    path = tmp_path / "targets.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('note = "60个', 'note = 60 # "', 1), encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    assert "note" in str(e.value)


def test_no_document_in_targets_toml_carries_a_number_its_seed_does_not_print():
    docs = tomllib.loads((DATA_DIR / "targets.toml").read_text(encoding="utf-8"))["document"]
    seeds = {"WH2027": BRIEF_SEED, "WHC": WHC_SEED,
             "HB2026": (SEEDS / "003_9531cef3b42412f3.txt").read_text(encoding="utf-8"),
             "WH2016": (SEEDS / "000_6c3a898c44989d26.txt").read_text(encoding="utf-8")}
    for doc in docs:
        if doc["number"]:
            # the seeds print 〔2025〕 as 〔2025 and drop the closing bracket now and then: compare the digits
            digits = re.findall(r"\d+", doc["number"])
            assert all(d in seeds[doc["id"]] for d in digits), doc["id"]
            assert doc["number"].split("〔")[0] in seeds[doc["id"]], doc["id"]
