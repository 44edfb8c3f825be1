"""Every message the reader gives about an uploaded file, in one table (Chinese, as the analyst reads it).

The row-by-row reader (tables.py), the columnar reader of big registers (register_frame.py), the checks
on the file's bytes (guards.py, workbook.py), the upload as a whole (ingest.py) and the checks against
the database (validate.py) all take their wording from here, so the same problem reads the same
whichever path found it. A message with something to fill in is a small function; a fixed one is a
constant. Each says what was found and what to do.
"""

from __future__ import annotations

import datetime as dt


def excerpt(text: object, limit: int = 30) -> str:
    """A value as a message quotes it: at most `limit` characters, then “…” (a 10,000-digit number is not
    repeated whole)."""
    s = "" if text is None else str(text)
    return s if len(s) <= limit else s[:limit] + "…"


# -- the file as a whole ---------------------------------------------------------------------------------

EMPTY_FILE = "文件是空的（0 字节），请重新导出后上传。"
NO_DATA = "文件中没有任何数据（所有工作表都是空的），请确认上传的是已填写数据的报表。"
NO_VALUES = "文件中识别出了表格，但没有任何数值，请检查是否填写了数据。"
CSV_ENCODING = "CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK 编码后重新上传。"
UNRECOGNISED_SHEET = ("本工作表中没有找到可识别的指标列或名录列。请改用数据模板（本页“数据模板下载”）中的列标题，"
                      "或请系统管理员为该列标题添加别名。")

_RESAVE = "请用 Excel 打开后另存为 .xlsx 再上传。"
_SPLIT = "请按月份或地区拆分后分别上传。"
_REFETCH = "请重新获取原文件后上传。"


def file_too_big(size_bytes: int, limit_bytes: int) -> str:
    return f"文件大小 {size_bytes / 1048576:.1f} MB 超过上限 {limit_bytes // 1048576} MB，请拆分后上传。"


def unsupported_type(file: str) -> str:
    return f"「{file}」不是支持的文件类型，请上传 .xlsx、.xlsm、.xls 或 .csv 文件。"


def _encrypted(file: str) -> str:
    return f"「{file}」设置了打开密码（已加密），系统无法读取。"


def encrypted_xlsx(file: str) -> str:
    """An .xlsx saved with a password: Excel wraps it in an OLE container."""
    return _encrypted(file) + "请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存再上传。"


def encrypted(file: str) -> str:
    return _encrypted(file) + "请取消密码后另存再上传。"


def not_xlsx(file: str) -> str:
    return f"「{file}」不是有效的 Excel 文件（内容不是 .xlsx 格式，可能是改了扩展名的其他文件）。{_RESAVE}"


def not_xls(file: str) -> str:
    return f"「{file}」不是有效的 .xls 文件（可能是改了扩展名的其他文件）。{_RESAVE}"


def not_a_workbook(file: str) -> str:
    return f"「{file}」是压缩文件但不是 Excel 工作簿。请上传 .xlsx 文件。"


def unreadable_book(file: str, error: object) -> str:
    return f"「{file}」无法作为 Excel 文件读取（{excerpt(error, 80)}），请确认文件未损坏，并用 Excel 另存为 .xlsx 后重新上传。"


def unreadable_sheet(file: str, sheet: str, error: object) -> str:
    return f"「{file}」的工作表「{sheet}」无法读取（{excerpt(error, 80)}），文件可能已损坏。{_RESAVE}"


def truncated(file: str, error: object, *, on_opening: bool = False) -> str:
    """A damaged zip; `on_opening`: its directory itself is unreadable (the download was cut short)."""
    return f"「{file}」文件不完整或已损坏（{excerpt(error, 80)}）" + ("，可能是下载或拷贝中断。" if on_opening else "。") + _REFETCH


def decompression_bomb(file: str, unpacked_bytes: int, packed_bytes: int) -> str:
    return (f"「{file}」解压后体积异常（{unpacked_bytes / 1048576:,.0f} MB，而文件本身只有"
            f"{packed_bytes / 1048576:.1f} MB），疑似压缩炸弹，系统拒绝读取。请确认文件来源后重新导出。")


def too_many_rows(file: str, rows: int, limit: int, sheet: str | None = None) -> str:
    """`sheet`: the sheet, when known (else the count is the one its directory declares, hence 约)."""
    where = f"的工作表「{sheet}」有 {rows:,} 行" if sheet is not None else f"有工作表约 {rows:,} 行"
    return f"「{file}」{where}，超过单表 {limit:,} 行的上限。{_SPLIT}"


def formulas_without_values(file: str, cells: list[str]) -> str:
    listed = "、".join(cells[:5]) + ("等" if len(cells) > 5 else "")  # cell references: short by nature
    return (f"「{file}」中的公式单元格（{listed}）没有保存计算结果，系统无法读取其数值。"
            "请在 Excel 中打开该文件，确认公式已计算后保存，再重新上传。")


# -- a table ---------------------------------------------------------------------------------------------

NO_PERIOD = ("无法判断报告期：请在标题中写明月份（如“2026年10月”），或在文件名中包含月份（如 202610）。"
             "使用模板时请在 B2 单元格填写报告期。")
NO_MONTHS = "表中没有识别出任何月份和数值，请检查表头的月份写法（如“2026年10月”）。"
NOT_A_NUMBER = "该单元格应为数值，请删除文字或改为数字（无数据请留空或填“—”）。"
REPEATED_INDICATOR = "该指标在本表中出现了两次，只读取第一列。"
VALUES_WITHOUT_REGION = "该行有数值但未填写地区名称，请补全地区名称。"
TOTAL_WITHOUT_REGION = "无法判断“合计”行属于哪个地区：请在表中列出各地区，或将该行标为“全市”或“全省”。"


def _did_you_mean(hint: str | None) -> str:
    return f"，您是否指“{hint}”？" if hint else "。"


# What an analyst can do about a name the system does not know: fix it in the file, or have it taught.
_FIX_REGION = "请在文件中改为标准名称后重新上传；如这是该地区的常用写法，请联系系统管理员添加为别名。"


def unit_mismatch(found: str, canonical: str) -> str:
    return f"列标题中的单位“{excerpt(found)}”与该指标的单位“{canonical}”不符，请核对列标题。"


def uncertain_heading(heading: str, nearest: list[str]) -> str:
    """A column heading close to an indicator but not certainly it: not read, the analyst decides."""
    return (f"列标题“{excerpt(heading)}”无法确定对应哪个指标（最接近：{'、'.join(nearest)}），本列未读取。"
            "请将列标题改为数据模板中的指标名称后重新上传，或请系统管理员为该列标题添加别名。")


def skipped_columns(headings: list[str]) -> str:
    return (f"以下列未对应任何已登记指标，已跳过：{'、'.join(excerpt(h) for h in headings)}。"
            "如需导入，请将列标题改为数据模板中的指标名称，或请系统管理员为该列标题添加别名。")


def unknown_region(label: str, hint: str | None) -> str:
    """A region name in a table's region column."""
    return f"地区名称“{excerpt(label)}”无法识别{_did_you_mean(hint)}{_FIX_REGION}"


def unknown_region_label(label: str, hint: str | None) -> str:
    """A region name labelling a row of a table with months across."""
    return f"地区名称“{excerpt(label)}”无法识别{_did_you_mean(hint)}{_FIX_REGION}"


def unknown_month(label: str) -> str:
    return f"月份“{excerpt(label)}”无法识别。请写作“2026年10月”或“10月”。"


def total_differs(indicator: str, unit: str, origin: str, total: float, units_sum: float, gap: str) -> str:
    return (f"{indicator}的合计（{origin}，{total:,.2f}{unit}）与各地区之和（{units_sum:,.2f}{unit}）"
            f"相差{gap}，请向报送单位核实。系统采用报送的合计数。")


# -- a register (a list of institutions, funds or firms) -----------------------------------------------------

NO_REGION_COLUMN = "名录缺少“所在区”列，请按模板补充该列。"
NO_NAME = "该行未填写名称，请补全或删除该行。"
NO_UNIT = "未填写所在区：该行只计入全市合计，不计入任何区。"
BAD_DATE = "日期无法识别，请写作 2025-03-01 的形式。该行仍计入名录。"
BAD_AMOUNT = "规模应为数值，请删除文字或改为数字。"


def unknown_unit(label: str, hint: str | None) -> str:
    """A register's 所在区 that names no reporting unit."""
    return f"所在区“{excerpt(label)}”无法识别{_did_you_mean(hint)}{_FIX_REGION}"


def no_district_in_address(address: str) -> str:
    """A register without a 所在区 column, whose address names no district of the city."""
    return (f"地址“{excerpt(address)}”中没有找到所在区：该行只计入全市合计，不计入任何区。"
            "如需计入某区，请增加“所在区”列并填写。")


def register_count_differs(stated: int, unit: str, rows: int) -> str:
    """A register's 合计 row naming a count (合计：20家) other than the rows listed."""
    return f"合计行写明 {stated}{unit}，名录实际列出 {rows} 行，请向报送单位核实。合计行不计入名录。"


def register_sum_differs(stated: float, summed: float) -> str:
    return (f"合计行的规模（{stated:,.2f}亿元）与各行之和（{summed:,.2f}亿元）不一致，请向报送单位核实。"
            "系统采用各行数值，合计行不计入名录。")


def repeated_name(first_row: int) -> str:
    return f"名称与第{first_row}行重复，请核实是否重复填报。"


def more_of_the_same(count: int, listed: int) -> str:
    return f"同类问题共 {count:,} 处，以上只列出前 {listed} 处。"


# -- against what the database holds -------------------------------------------------------------------------


def jumped(region: str, indicator: str, unit: str, prev_month: str, old: float, value: float, limit: float) -> str:
    return (f"{region}{indicator}较上月（{prev_month}，{old:,.2f}{unit}）"
            f"变动{(value - old) / abs(old):+.1%}，超过{limit:.0%}，请核实单位或录入是否有误。")


def unit_missing(region: str, indicator: str) -> str:
    return f"{region}上月报送了{indicator}，本月文件中没有该地区，请核实是否漏报。"



# -- the unit of a figure far off last month (validate.py, ingest.py) ------------------------------------------


def probable_unit_mistake(region: str, indicator: str, unit: str, prev_month: str, old: str, value: str,
                          times: str) -> str:
    """A figure 100 times last month's or more (or a hundredth): said loudly, the file may still be imported."""
    return (f"【疑似单位错误】{region}{indicator}为{value}{unit}，是上月（{prev_month}，{old}{unit}）的{times}。"
            f"请核对列标题的单位（{unit}、万元还是元）和数值的位数，确认无误后再导入。")


def unit_doubt(indicator: str, unit: str, example: str, reference: str, times: str, cells: str) -> str:
    """Figures a thousand times or more off (元 or 万元 under a 亿元 heading): the file waits for the analyst."""
    where = f"（{cells}）" if cells else ""
    return (f"【单位待确认】{indicator}的数值{where}与以往相差悬殊：如{example}{unit}，是{reference}的{times}，"
            f"很可能是按元或万元填写的。请在“数据上传”页逐项选择该列数值的单位后再导入（用命令行导入时请先改正文件）；"
            f"如文件有误，请改正后重新上传。"
            f"未确认前本文件不会导入。")


def unit_confirmed(indicator: str, unit: str, choice: str, actor: str) -> str:
    """What the analyst chose for a doubtful column, kept with the file's warnings."""
    return f"{indicator}的单位已由{actor}确认：{choice}。"


def same_as_withdrawn(submission_id: int, status: str) -> str:
    """A file whose bytes match a submission that is no longer in force (`status`: rolled_back | superseded): it
    is imported as a new submission."""
    said = {"rolled_back": "已撤销", "superseded": "已被更正替代"}.get(status, status)
    return (f"本文件与提交{submission_id}（{said}）内容相同。确认导入后，将作为一次新的提交生效；"
            f"提交{submission_id}仍保留在历史中。")


# -- values that cannot be true (cells.py, tables.py, workbook.py, contracts.py) ----------------------------------

NOT_FINITE = "该单元格不是有效数值（非数字或无穷大，常见于公式出错或程序导出），请改为实际数值（无数据请留空或填“—”）。"


def not_a_number(reason: str, digits: int = 0) -> str:
    """A number cell that holds no true number: words (`text`), NaN or infinity, or too many digits."""
    if reason == "not_finite":
        return NOT_FINITE
    if reason == "too_large":
        return (f"该单元格的数字有 {digits:,} 位整数，远超任何真实数值，请核对单位和录入（如是否多填了数字），"
                "改为实际数值。")
    return NOT_A_NUMBER


def bad_amount(reason: str, digits: int = 0) -> str:
    """A register's amount (规模) that holds no true number."""
    return BAD_AMOUNT if reason == "text" else not_a_number(reason, digits)


def future_period(found: str, now: str) -> str:
    return (f"报告期“{excerpt(found)}”晚于当前月份（{now}），不可能已有该期数据。"
            "请核对标题、单元格或文件名中的年份和月份后重新上传。")


def csv_field_too_long(limit: int) -> str:
    return (f"CSV 文件中有单元格超过 {limit:,} 个字符，不是报表数据的样子（可能是文件损坏或引号不成对），"
            "系统无法读取。请用 Excel 打开核对后另存为 .xlsx 再上传。")


def csv_unreadable(error: object) -> str:
    return f"CSV 文件无法读取（{excerpt(error, 80)}），请用 Excel 打开核对后另存为 .xlsx 再上传。"


# -- data contracts after every load (contracts.py) -------------------------------------------------------------


def negative_value(indicator: str, value: str) -> str:
    return f"{indicator}不能为负数（本格为 {excerpt(value)}），该指标不会小于 0。请核对后改为实际数值。"


def share_over_100(indicator: str, value: str) -> str:
    return f"{indicator}是比重，应在 0–100% 之间，本格为 {excerpt(value)}%。请核对是否填成了小数或写错了数位。"


def count_not_whole(indicator: str, value: str) -> str:
    return f"{indicator}是计数，应为整数，本格为 {excerpt(value)}。请核对是否填错了列或带了小数。"


def repeated_figure(region: str, indicator: str, month: str, others: str) -> str:
    return (f"{region}{month}的{indicator}在文件中出现了不止一次（{others}），系统无法判断以哪个为准。"
            "请只保留一个数值后重新上传。")


def part_over_total(region: str, indicator: str, value: str, whole_region: str, whole: str, where: str) -> str:
    return (f"{region}的{indicator}（{value}）大于{whole_region}的合计（{whole}，{where}），部分不能大于整体。"
            "请核对地区是否填错行，或单位是否一致。")


def part_over_whole(region: str, part: str, value: str, whole: str, whole_value: str, where: str) -> str:
    return (f"{region}的{part}（{value}）大于{whole}（{whole_value}，{where}），前者是后者的一部分，不能更大。"
            "请核对两列是否填反或单位是否一致。")


def register_amount_refused(row_no: int, field: str, value: str) -> str:
    return f"第{row_no}行的{field}为 {excerpt(value)}，不是有效的非负数值（不能为负数、非数字或无穷大）。请核对后改为实际数值。"


def register_date_in_future(row_no: int, field: str, day: str, today: str) -> str:
    return f"第{row_no}行的{field}为 {day}，晚于今天（{today}），不可能已经发生。请核对年份后重新上传。"


# -- task check-ins (loaders/checkins.py) --------------------------------------------------------------------

CHECKIN_NO_PERIOD = "没有找到报告期。请在标题或“报告期”一行写明，如“2026年10月”或“2026年第三季度”。"
CHECKIN_EMPTY = "任务进展表中没有任何一行填写了任务编号和进展状态。"
CHECKIN_NO_PROGRESS = "状态为“推进中”或“滞后”时，请填写进展情况（做了什么、差在哪里）。"
CHECKIN_BAD_FIGURE = "“相关数值”应为数字（单位写在“数值单位”一列）。"


def checkin_future(month: str) -> str:
    return f"报告期为{month}，晚于本月，还不能报送该期进展。请核对年份或月份。"


def checkin_unknown_task(written: str) -> str:
    return (f"任务编号“{excerpt(written)}”不存在。请使用模板中的编号（如 WH2027-9、WHC-12、HB2026-3），"
            "可在“任务清单”页下载本单位的报送模板。")


def checkin_unknown_unit(written: str) -> str:
    if not written:
        return "没有写明报送单位。请在“报送单位”一列或表格上方的“报送单位：”一行填写单位名称。"
    return f"报送单位“{excerpt(written)}”无法识别。请使用单位全称或常用简称（如 市委金融办），或联系管理员添加别名。"


def checkin_not_their_task(unit: str, task_id: str, title: str) -> str:
    return f"{task_id}（{title}）不是{unit}牵头或参与的任务，不能由{unit}报送进展。请核对任务编号。"


def checkin_bad_state(written: str, states: list[str]) -> str:
    shown = f"“{excerpt(written)}”" if written else "空白"
    return f"进展状态为{shown}，应为{'、'.join(states)}之一。"


def checkin_text_cut(limit: int) -> str:
    return f"本格超过{limit}个字，只保留前{limit}个字。请精简后重新上传，或把详细材料作为佐证另行报送。"


def checkin_twice(task_id: str, unit: str, first_row: int) -> str:
    return f"{unit}对{task_id}的进展填写了不止一行（第{first_row}行已有）。每项任务请只填一行。"


def checkin_choose_state(states: list[str]) -> str:
    """What the template's drop-down says to a state typed by hand."""
    return f"请从下拉列表中选择：{'、'.join(states)}"


# -- workbook level (issue 10): hidden sheets, rows and columns; sheets without a table -------------------------

HIDDEN_SHEET_SKIPPED = "本工作表是隐藏的（通常是系统代码或下拉选项），未读取。如其中有需要报送的数据，请取消隐藏后重新上传。"
NO_TABLE_IN_SHEET = "本工作表只有文字（如填报说明），没有数据表格，未读取。"


def hidden_cells_ignored(rows: list[int], cols: list[str]) -> str:
    """`rows`: one-based row numbers; `cols`: column letters, of hidden rows and columns that held content."""
    def listed(items: list) -> str:
        return "、".join(map(str, items[:8])) + ("等" if len(items) > 8 else "")

    parts = ([f"第{listed(rows)}行"] if rows else []) + ([f"{listed(cols)}列"] if cols else [])
    return (f"{'和'.join(parts)}是隐藏的（通常是系统代码、校验标记），其中的内容未读取。"
            "如其中有需要报送的数据，请取消隐藏后重新上传。")


def questions_open(file_name: str, n: int) -> str:
    """Commit asked for a file the reader still has questions about."""
    return (f"文件“{excerpt(file_name)}”还有 {n} 个问题待确认（标题、名称或报告期的对应关系），不能导入。"
            "请先逐项回答（或选择“不导入此列/此行”），系统将按回答重新校验后再导入。")


def questions_summary(n: int) -> str:
    return f"有 {n} 处标题、名称或报告期无法确定，需要您确认对应关系；确认前本文件不会导入，相关的列或行不读取。"


def unknown_mapping_target(kind: str, target: str) -> str:
    """--map / --region-alias naming an indicator or region the registry does not know."""
    what = "指标代码" if kind == "indicator" else "地区名称或代码"
    return f"{what}“{excerpt(target)}”不存在，请检查拼写（指标请写代码，如 tech_loan_balance；地区请写标准名称或代码）。"


def bad_mapping_option(option: str, text: str) -> str:
    return f"{option} 的写法应为“原文=对应项”（如 --map \"科技企业贷款=tech_loan_balance\"），收到：“{excerpt(text)}”。"


# -- cross-tabs and flows (issue 10 items 1 and 5): indicators down, months down, year-to-date figures ----------

REPEATED_INDICATOR_ROW = "该指标在本表中出现了两次，只读取第一行。"


def uncertain_row_heading(heading: str, nearest: list[str]) -> str:
    """A row label (indicators down) close to an indicator but not certainly it: not read."""
    return (f"指标名称“{excerpt(heading)}”无法确定对应哪个指标（最接近：{'、'.join(nearest)}），本行未读取。"
            "请将指标名称改为数据模板中的名称后重新上传，或请系统管理员为其添加别名。")


def skipped_rows(labels: list[str]) -> str:
    return (f"以下行未对应任何已登记指标，已跳过：{'、'.join(excerpt(h) for h in labels)}。"
            "如需导入，请将指标名称改为数据模板中的名称，或请系统管理员为其添加别名。")


def flow_ytd_alone(indicator: str, year: int, month: int) -> str:
    """A year-to-date figure of a flow whose month before is not in the file: its month's amount is unknown."""
    before = (f"{year}年1-{month - 1}月的累计数（或1至{month - 1}月各月的当月数）" if month > 2
              else f"{year}年1月的数")
    return (f"{indicator}是按月累计的流量指标，本格是{year}年1-{month}月的累计数；系统按月保存当月发生额，"
            f"需用同一文件中{before}相减才能得到{month}月当月数，"
            f"本文件中没有，本格未导入。请补充上月累计数或改报当月数后重新上传。")


def flow_span(indicator: str) -> str:
    return (f"{indicator}是流量指标，本格是跨越几个月（不从1月起）的合计数，既不是当月数也不是年初以来累计数，"
            "本格未导入。请改报当月数或1月起的累计数。")


def flow_conventions_mixed(indicator: str, ytd_cells: list[str], month_cells: list[str]) -> str:
    def listed(cells: list[str]) -> str:
        return "、".join(cells[:6]) + ("等" if len(cells) > 6 else "")

    return (f"{indicator}在本表中既有年初以来累计数（{listed(ytd_cells)}），又有当月数（{listed(month_cells)}），"
            "两种口径混用。系统按月保存当月数：累计数已换算为当月数（同月已有当月数的不再重复读取），请核对报送口径。")


def same_month_twice(month: str, first_cell: str) -> str:
    return f"本格与{first_cell}是同一指标、同一地区、同一月份（{month}）的数，但数值不同；只读取{first_cell}，请核对。"


def flow_ytd_disagrees(indicator: str, month: int, own: float, expected: float) -> str:
    """本月 and 本年累计 of a flow side by side that do not agree."""
    return (f"{indicator}：本格累计数推算的{month}月当月数为{expected:,.2f}，与同表当月数{own:,.2f}不一致；"
            "系统按当月数导入，请核对。")


def flow_ytd_from_database(indicator: str, sheet: str, year: int, months: list[int]) -> str:
    """A year-to-date flow turned into the month's own with the months the database holds."""
    span = f"{months[0]}-{months[-1]}月" if len(months) > 1 else f"{months[0]}月"
    return (f"{indicator}（工作表「{sheet}」）按年初以来累计数报送：已减去数据库中{year}年{span}的当月数，"
            "记为当月发生额导入；预览中的“新值”是当月数。")


FLOW_CONVENTION_WORDS = {"ytd": "年初以来累计数", "monthly": "当月数"}


def flow_convention_switched(indicator: str, now: str, before: str, file_name: str, period: dt.date,
                             submission_id: int) -> str:
    """A flow reported the other way than the last file did: the figures may be stored on the wrong footing."""
    return (f"{indicator}：本文件按{FLOW_CONVENTION_WORDS[now]}报送，而{period.year}年{period.month}月的文件"
            f"（{file_name}，提交{submission_id}）按{FLOW_CONVENTION_WORDS[before]}报送，报送口径改变。"
            "系统已按本文件的口径换算为当月数，请向报送单位核实。")
