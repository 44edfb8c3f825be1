"""The audit log as administrators read it (审计日志) and download it: Chinese headings and action names."""

from __future__ import annotations

import polars as pl

from presentation.xlsx import workbook_bytes

ACTION_LABELS = {
    "ingest": "导入", "supersede": "被替代", "rollback": "撤销提交", "reactivate": "恢复提交",
    "rollback_demo": "撤销全部演示数据", "denied": "拒绝（无权限）", "login": "登录", "login_failed": "登录失败",
    "login_locked": "账号锁定", "logout": "退出登录", "session_expired": "超时退出", "user_add": "添加账号",
    "user_disable": "停用账号", "user_enable": "启用账号", "user_reset": "重置密码", "user_role": "修改角色",
    "backup_restored": "从备份恢复", "quality_review": "核实数据质量",
    "mapping_add": "记住对应关系", "mapping_remove": "删除对应关系",
}
HEADINGS = {"logged_at": "时间", "actor": "账号", "action": "操作", "target": "对象", "detail": "说明",
            "before_json": "之前", "after_json": "之后"}


def audit_table(rows: pl.DataFrame) -> pl.DataFrame:
    """store.accounts.audit_entries → one row per entry, action names in Chinese, the fields of HEADINGS."""
    return rows.select(
        pl.col("logged_at"), pl.col("actor"),
        pl.col("action").replace_strict(ACTION_LABELS, default=pl.col("action"), return_dtype=pl.String),
        pl.col("target").fill_null(""), pl.col("detail").fill_null(""),
        pl.col("before_json").fill_null(""), pl.col("after_json").fill_null(""))


def display(rows: pl.DataFrame) -> pl.DataFrame:
    """The table on the page, with its Chinese headings."""
    return audit_table(rows).rename(HEADINGS)


def audit_workbook(rows: pl.DataFrame) -> bytes:
    """The .xlsx download: account names, file names and details stay text (never a live formula)."""
    return workbook_bytes({"审计日志": (audit_table(rows), HEADINGS)})
