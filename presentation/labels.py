"""The fixed Chinese labels of the interface, in one place: code → what a page, a chart or a table shows.

What the registries already name is read from them, not repeated here: a target status's label, symbol
and colour (data/status.toml, `registry.statuses`), a register's name (data/registers.toml), a region's.
"""

from __future__ import annotations

APP_TITLE = "武汉科技金融目标监测"
# Shown instead of a traceback when a page fails for a reason the user cannot fix (the log has the details).
INTERNAL_ERROR = "页面出现内部错误，本次操作未完成，详情已记入服务器日志。请刷新页面重试；如反复出现，请告知系统管理员（注明时间与页面）。"

# A submission in the store (submissions.status).
SUBMISSION_STATUS = {"active": "生效", "superseded": "已被更正替代", "rolled_back": "已撤销"}
# A problem found in an uploaded file (loaders.problems severity).
SEVERITY = {"error": "错误", "warning": "提醒"}
# What checking an uploaded file came to (loaders.ingest IngestReport.status): mark and words.
INGEST_STATUS = {"ok": ("✔", "可以导入"), "rejected": ("✘", "有错误，不能导入"), "duplicate": ("＝", "重复文件，无需导入")}

# How a value of record came about (metrics.series derivation): said beside its source.
DERIVATION = {"reported": "报送原值", "register": "由名录汇总", "summed": "由各下级地区数据加总",
              "ratio": "由分子、分母两项数据计算"}

# A unit without a value that gave no reason (a reason, such as 上市公司数为0，无法计算, is shown instead).
NOT_REPORTED = "未报送"

# A parent region's own total as officials say it (全市 / 全省), and what its units are called, by its kind.
WHOLE = {"city": "全市", "province": "全省"}
MEMBERS = {"city": "单位", "province": "市州"}

# What colours the map and orders the ranking: the value or its y/y growth.
RANK_BY = {"value": "按数值", "yoy": "按同比增速"}
# What a measure of the units is called (a title, the units × indicators table's choice); see measure_name.
MEASURE_NAMES = {"yoy": "同比增速", "subtarget_completion": "分解目标完成率"}
# The demo's district sub-targets are illustrative (data/demo_subtargets.toml): no document splits the targets over
# the districts. Said wherever a unit is judged against one (issue 13: "every page that shows them says 示例").
SUBTARGETS_ARE_EXAMPLES = ("注：各单位的分解目标为示例数值（仅随演示数据提供），不出自任何文件（政策文件未将目标分解到各区）；"
                           "以市委金融办下达的分解方案为准。")


def subtarget_word(example: bool) -> str:
    """分解目标, or 分解目标（示例） for the demo's illustrative split."""
    return "分解目标（示例）" if example else "分解目标"


def subtarget_note(example: bool) -> str:
    """The 示例 note under a view that judges units against the demo's split; nothing for an assigned split."""
    return SUBTARGETS_ARE_EXAMPLES if example else ""


def measure_name(measure: str, *, example: bool = False) -> str:
    """同比增速 / 分解目标完成率 (分解目标（示例）完成率 for the demo's split)."""
    return subtarget_word(example) + "完成率" if measure == "subtarget_completion" else MEASURE_NAMES[measure]


# A register as a unit's tab names it, and what its rows are counted in (家 / 只).
REGISTER_TABS = {"institutions": ("科技金融专营机构", "家"), "seed_firms": ("金种子·银种子企业", "家"),
                 "funds": ("股权投资基金", "只")}

# The meeting outputs' download buttons (reports.bundle.KINDS).
MEETING_DOWNLOADS = {"pptx": "下载演示文稿（PPT）", "pdf": "下载 PDF", "zip": "下载全部图表（PNG）"}

# Why a target in its 观察期 (status observation, data/status.toml) has no status yet, after its label:
# 观察期（基期后不足6个月，暂不判定进度）. `months`: the span its status waits for.
OBSERVATION_NOTE = "基期后不足{months}个月，暂不判定进度"


def observation_note(months: int | str) -> str:
    """基期后不足6个月，暂不判定进度 (several targets' spans as 6/3)."""
    return OBSERVATION_NOTE.format(months=months)
