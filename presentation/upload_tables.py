"""Upload reports and submission history as tables with Chinese headings, ready to show (pure).

Figures in the preview are text made here, exactly as the file has them (4,649.6, never 4650 or 1.417e+04;
"—" where there is none), with last month's value and the change against it, so a page shows them as they are.
"""

from __future__ import annotations

import math

import polars as pl

from domain.model import Registry
from domain.months import month_label
from loaders.ingest import IngestReport
from loaders.validate import UNIT_SUSPECT, as_typed, exact_text, grouped, ratio_text
from presentation.fmt import md_text
from presentation.labels import INGEST_STATUS, SEVERITY, SUBMISSION_STATUS
from presentation.questions import NEEDS_ANSWERS

PROBLEM_COLUMNS = ("级别", "工作表", "单元格", "发现的值", "说明")


def problems_table(report: IngestReport, *, markdown: bool = False) -> pl.DataFrame:
    """Every problem of the file, errors first. `markdown`: each cell made inert for a table that renders
    Markdown (st.table, which wraps long messages instead of cutting them), since sheet names and values come
    from the file."""
    problems = sorted(report.outcome.problems, key=lambda p: p.severity != "error")
    text = md_text if markdown else str
    rows = [{"级别": SEVERITY[p.severity], "工作表": text(p.sheet), "单元格": text(p.cell), "发现的值": text(p.value),
             "说明": text(p.message)} for p in problems]
    return pl.DataFrame(rows, schema=dict.fromkeys(PROBLEM_COLUMNS, pl.String))


NONE = "—"
PREVIEW_COLUMNS = ("变化", "指标", "地区", "月份", "新值", "上月值", "较上月", "原值", "单位", "单元格")


def exact(value: float | None) -> str:
    """4649.6 → "4,649.6"; 14170.0 → "14,170"; 464185273800.0 → "464,185,273,800"; 0.0000001 → "0.0000001";
    −5 → "−5" (a true minus); None or NaN → "—". No rounding, no scientific notation."""
    if value is None or not math.isfinite(value):
        return NONE
    return exact_text(value)


def change_text(new: float | None, prev: float | None, unit: str) -> str:
    """A new figure against last month's: "+53.67（+1.2%）", exact in the indicator's unit; for a percentage
    "+1.2个百分点"; far apart, "⚠ 上月的10,000倍" (a probable unit mistake); "—" when either is missing."""
    if new is None or prev is None or not math.isfinite(new) or not math.isfinite(prev):
        return NONE
    diff = as_typed(new) - as_typed(prev)
    sign = "+" if diff > 0 else "−" if diff < 0 else ""
    amount = sign + grouped(abs(diff))
    if unit == "%":
        return f"{amount}个百分点"
    if prev == 0:
        return f"{amount}（上月为0）" if diff else "0"
    ratio = new / prev
    if ratio <= 0:
        return f"{amount}（正负号与上月相反）"
    if ratio >= UNIT_SUSPECT or ratio <= 1 / UNIT_SUSPECT:
        return f"⚠ 上月的{ratio_text(ratio)}，疑似单位错误"
    if not diff:
        return "0"
    rel = (new - prev) / abs(prev) * 100
    return f"{amount}（{'+' if rel > 0 else '−' if rel < 0 else ''}{abs(rel):.1f}%）"


def changes_table(report: IngestReport, registry: Registry) -> pl.DataFrame:
    """The preview: what committing changes, 修改 first; every figure as text (`exact`). 原值 is the figure the
    month already has (a correction replaces it), 上月值 the same unit's a month earlier."""
    schema = dict.fromkeys(PREVIEW_COLUMNS, pl.String)
    if report.changes is None or report.changes.is_empty():
        return pl.DataFrame(schema=schema)
    rows = []
    for r in report.changes.iter_rows(named=True):
        ind = registry.indicators[r["indicator_code"]]
        prev = r.get("prev_value")
        rows.append({"变化": r["change"], "指标": ind.name_zh, "地区": registry.regions[r["region_code"]].name,
                     "月份": month_label(r["period"]), "新值": exact(r["new_value"]), "上月值": exact(prev),
                     "较上月": change_text(r["new_value"], prev, ind.unit), "原值": exact(r["old_value"]),
                     "单位": ind.unit, "单元格": r.get("cell") or ""})
    return pl.DataFrame(rows, schema=schema)


def change_counts(report: IngestReport) -> dict[str, int]:
    if report.changes is None:
        return {}
    counts = report.changes.group_by("change").len()
    return {r["change"]: r["len"] for r in counts.iter_rows(named=True)}


def history_table(submissions: pl.DataFrame) -> pl.DataFrame:
    """Submissions, newest first, as an analyst reads them."""
    if submissions.is_empty():
        return pl.DataFrame(schema={"编号": pl.Int32, "文件": pl.String})
    return (submissions.sort("id", descending=True).select(
        pl.col("id").alias("编号"),
        pl.col("file_name").alias("文件"),
        pl.col("agency").alias("报送单位"),
        pl.col("period").map_elements(month_label, return_dtype=pl.String).alias("报告期"),
        pl.col("uploader").alias("上传人"),
        pl.col("uploaded_at").dt.strftime("%Y-%m-%d %H:%M").alias("上传时间"),
        pl.col("status").replace_strict(SUBMISSION_STATUS, return_dtype=pl.String).alias("状态"),
        pl.when(pl.col("supersedes").is_null()).then(pl.lit("")).otherwise(pl.format("提交{}", pl.col("supersedes")))
        .alias("替代了"),
        pl.col("n_observations").alias("观测值"),
        pl.col("n_register_rows").alias("名录行数"),
        pl.col("n_warnings").alias("提醒"),
        pl.col("is_demo").replace_strict({True: "是", False: ""}, return_dtype=pl.String).alias("演示数据"),
    ))


def history_summary(submissions: pl.DataFrame) -> str:
    """共 205 次提交，其中生效 204 次。"""
    active = submissions.filter(pl.col("status") == "active").height
    return f"共 {submissions.height:,} 次提交，其中生效 {active:,} 次。"


def own(submissions: pl.DataFrame, actor_name: str, role: str) -> pl.DataFrame:
    """The submissions an account may withdraw or restore: an analyst their own (uploaded under their account
    name), an administrator every one (the store checks it again)."""
    return submissions.filter(pl.col("uploader") == actor_name) if role == "analyst" else submissions


def _label(r: dict) -> str:
    return f"{r['id']}｜{r['file_name']}｜{month_label(r['period'])}"


def rollback_options(submissions: pl.DataFrame) -> dict[int, str]:
    """Active submissions, newest first: id → 编号｜文件｜报告期 (the picker's choice is the id, so it stays on its
    submission when the list changes)."""
    active = submissions.filter(pl.col("status") == "active").sort("id", descending=True)
    return {r["id"]: _label(r) for r in active.iter_rows(named=True)}


def restore_options(submissions: pl.DataFrame) -> dict[int, str]:
    """Withdrawn and superseded submissions, newest first: id → 编号｜文件｜报告期｜状态."""
    gone = submissions.filter(pl.col("status") != "active").sort("id", descending=True)
    return {r["id"]: f"{_label(r)}｜{SUBMISSION_STATUS[r['status']]}" for r in gone.iter_rows(named=True)}


WAITS_FOR_UNITS = ("！", "单位待确认，确认后可导入")
SUMMARY_COLUMNS = ("文件", "结果", "报送单位", "报告期", "观测值", "名录行", "错误", "提醒", "待确认")


def report_state(report: IngestReport) -> tuple[str, str]:
    """(mark, words) for what checking a file came to: ✔ 可以导入, ？ 有待确认的标题或名称, ！ 单位待确认, ✘, ＝."""
    if report.waits_for_units:
        return WAITS_FOR_UNITS
    if report.status == "needs_answers":
        return NEEDS_ANSWERS
    return INGEST_STATUS[report.status]


def needs_attention(report: IngestReport) -> bool:
    """A file the analyst must act on before it can go in (or that will not go in): shown unfolded."""
    return report.status in ("rejected", "needs_answers") or report.waits_for_units or bool(report.suspects)


def files_summary(reports: dict[str, IngestReport]) -> pl.DataFrame:
    """Several files checked together: one row each, as the upload page lists them above the files' reports."""
    rows = []
    for name, report in reports.items():
        o = report.outcome
        mark, words = report_state(report)
        rows.append({"文件": name, "结果": f"{mark} {words}", "报送单位": o.agency or "未注明",
                     "报告期": month_label(o.period) if o.period else NONE, "观测值": o.observations.height,
                     "名录行": o.n_register_rows, "错误": len(o.errors), "提醒": len(o.warnings),
                     "待确认": len(report.questions) + len(report.unconfirmed)})
    return pl.DataFrame(rows, schema={c: (pl.Int64 if c in ("观测值", "名录行", "错误", "提醒", "待确认") else pl.String)
                                      for c in SUMMARY_COLUMNS})


def summary_sentence(reports: dict[str, IngestReport]) -> str:
    """共30个文件：可以导入27个，待确认2个，有错误1个。"""
    counts: dict[str, int] = {}
    for report in reports.values():
        key = ("可以导入" if report.status == "ok" else "重复" if report.status == "duplicate"
               else "待确认" if report.status == "needs_answers" or report.waits_for_units else "有错误")
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{k}{counts[k]}个" for k in ("可以导入", "待确认", "有错误", "重复") if counts.get(k)]
    return f"共{len(reports)}个文件：" + "，".join(parts) + "。"
