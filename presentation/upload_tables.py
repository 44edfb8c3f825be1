"""Upload reports and submission history as tables with Chinese headings, ready to show (pure)."""

from __future__ import annotations

import polars as pl

from domain.model import Registry
from domain.months import month_label
from loaders.ingest import IngestReport
from presentation.labels import SEVERITY, SUBMISSION_STATUS


def problems_table(report: IngestReport) -> pl.DataFrame:
    rows = [{"级别": SEVERITY[p.severity], "工作表": p.sheet, "单元格": p.cell, "发现的值": p.value, "说明": p.message}
            for p in report.outcome.problems]
    return pl.DataFrame(rows, schema={k: pl.String for k in ("级别", "工作表", "单元格", "发现的值", "说明")})


def changes_table(report: IngestReport, registry: Registry) -> pl.DataFrame:
    """The preview: what committing changes, 修改 first."""
    schema = {"变化": pl.String, "指标": pl.String, "地区": pl.String, "月份": pl.String, "原值": pl.Float64,
              "新值": pl.Float64, "单位": pl.String}
    if report.changes is None or report.changes.is_empty():
        return pl.DataFrame(schema=schema)
    rows = []
    for r in report.changes.iter_rows(named=True):
        ind = registry.indicators[r["indicator_code"]]
        rows.append({"变化": r["change"], "指标": ind.name_zh, "地区": registry.regions[r["region_code"]].name,
                     "月份": month_label(r["period"]), "原值": r["old_value"], "新值": r["new_value"], "单位": ind.unit})
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
        pl.col("supersedes").alias("替代了"),
        pl.col("n_observations").alias("观测值"),
        pl.col("n_register_rows").alias("名录行数"),
        pl.col("n_warnings").alias("提醒"),
        pl.col("is_demo").replace_strict({True: "是", False: ""}, return_dtype=pl.String).alias("演示数据"),
    ))


def rollback_options(submissions: pl.DataFrame) -> dict[str, int]:
    """Active submissions, newest first, labelled 编号｜文件｜报告期 for the rollback picker."""
    active = submissions.filter(pl.col("status") == "active").sort("id", descending=True)
    return {f"{r['id']}｜{r['file_name']}｜{month_label(r['period'])}": r["id"] for r in active.iter_rows(named=True)}
