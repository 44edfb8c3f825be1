"""Units × indicators as a coloured table (y/y growth or sub-target completion), and the plain tables the
district pages show (one unit on every indicator, all units on one), with Chinese headings and units."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.ranking import growth_text, signed_pct, signed_points
from charts.theme import MUTED, base_layout, standalone
from domain.model import Registry
from domain.months import month_label
from presentation.fmt import num, pct, qty

MISSING_FILL = "#f3f4f6"


def growth_cap(values: list[float]) -> float:
    """Where the growth colours stop deepening: the 90th percentile of |growth|, rounded up to 5%.

    One unit doubling from a small base (+220%) would otherwise leave every other cell pale.
    """
    if not values:
        return 0.1
    ordered = sorted(abs(v) for v in values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return max(0.05, math.ceil(p90 * 20) / 20)


def _cell_text(measure: str, row: dict[str, Any]) -> str:
    if row["measure"] is not None:
        if measure != "yoy":
            return pct(row["measure"], 0)
        return signed_points(row["measure"] * 100) if row.get("in_points") else signed_pct(row["measure"])
    if row["value"] is None:
        return row.get("note") or "未报送"
    return "无分解目标" if measure == "subtarget_completion" else "—"


def heat_table_figure(matrix: pl.DataFrame, registry: Registry, *, measure: str = "yoy", selected: str | None = None,
                      title: str, as_of: str, source: str) -> go.Figure:
    """`matrix`: metrics.districts.heat_matrix (long form). Growth: diverging around 0, red = falling;
    completion: 0 → 100% and beyond on one blue scale. Every cell also prints its number."""
    units = list(dict.fromkeys(matrix["region_code"].to_list()))
    indicators = list(dict.fromkeys(matrix["indicator_code"].to_list()))
    cells = {(r["region_code"], r["indicator_code"]): r for r in matrix.iter_rows(named=True)}
    z, text = [], []
    for code in units:
        z.append([cells[(code, i)]["measure"] for i in indicators])
        text.append([_cell_text(measure, cells[(code, i)]) for i in indicators])
    present = [v for v in matrix["measure"].to_list() if v is not None]
    if measure == "yoy":
        top = growth_cap(present)
        colors: dict[str, Any] = {"colorscale": "RdBu", "zmin": -top, "zmax": top, "zmid": 0}
        tickformat = "+.0%"
    else:
        colors = {"colorscale": "Blues", "zmin": 0, "zmax": max([1.0, *present])}
        tickformat = ".0%"
    y_labels = [("▶ <b>" + registry.regions[c].short + "</b>") if c == selected else registry.regions[c].short
                for c in units]
    x_labels = [registry.indicators[i].short_zh for i in indicators]
    fig = go.Figure(go.Heatmap(
        z=z, x=x_labels, y=y_labels, text=text, texttemplate="%{text}", textfont={"size": 12},
        hovertemplate="%{y} · %{x}：%{text}<extra></extra>", xgap=2, ygap=2, **colors,
        colorbar={"tickformat": tickformat, "thickness": 12, "len": 0.6,
                  "title": {"text": "同比" if measure == "yoy" else "完成", "side": "top"}}))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 13})
    fig.update_xaxes(side="top", tickfont={"size": 12})
    base_layout(fig, height=150 + 30 * len(units), margin={"l": 10, "r": 10, "t": 110, "b": 60})
    fig.update_layout(plot_bgcolor=MISSING_FILL)  # gaps (no value) show as grey, with their text
    fig.add_annotation(text="灰色：未报送或无数据；—：无法计算（上年同月无数据或为0）；颜色在±" + pct(colors["zmax"], 0)
                       + "处封顶" if measure == "yoy" else "灰色：未报送或无数据", x=1, y=0, xref="paper", yref="paper", xanchor="right",
                       yanchor="top", yshift=-28, showarrow=False, font={"size": 11, "color": MUTED})
    return standalone(fig, title=title, unit=None, as_of=as_of, source=source)


# -- plain tables ----------------------------------------------------------------------------------------


def _rank_text(rank: int | None, n: int | None) -> str:
    return f"{rank}/{n}" if rank is not None and n else "—"


def _status_text(registry: Registry, status: str | None) -> str:
    if status is None:
        return "—"
    style = registry.statuses[status]
    return f"{style.symbol} {style.label}"


def profile_rows(profile: pl.DataFrame, registry: Registry, parent_name: str) -> pl.DataFrame:
    """metrics.districts.unit_profile → the one-unit table, Chinese headings, formatted text; the trend
    stays numeric for st.column_config.LineChartColumn ("近24个月走势")."""
    rows = []
    for r in profile.iter_rows(named=True):
        ind = registry.indicators[r["indicator_code"]]
        value = qty(r["value"], ind.unit, ind.decimals) if r["value"] is not None else (r["note"] or "未报送")
        if r["value"] == 0 and r["note"]:
            value = f"0{ind.unit}（{r['note']}）"
        rows.append({
            "指标": ind.name_zh, "数值": value,
            "月份": month_label(r["period"]) if r["period"] else "—",
            "同比": growth_text(r),
            f"{parent_name}排名": _rank_text(r["rank"], r["n_ranked"]),
            f"占{parent_name}": pct(r["share"]),
            "分解目标": qty(r["subtarget"], ind.unit, ind.decimals) if r["subtarget"] is not None else "—",
            "完成分解目标": pct(r["subtarget_completion"]),
            "状态": _status_text(registry, r["status"]),
            "近24个月走势": r["history"],
        })
    return pl.DataFrame(rows, schema={"指标": pl.String, "数值": pl.String, "月份": pl.String, "同比": pl.String,
                                      f"{parent_name}排名": pl.String, f"占{parent_name}": pl.String,
                                      "分解目标": pl.String, "完成分解目标": pl.String, "状态": pl.String,
                                      "近24个月走势": pl.List(pl.Float64)})


def district_rows(table: pl.DataFrame, registry: Registry, indicator: str, parent_name: str) -> pl.DataFrame:
    """metrics.districts.district_table → every unit on one indicator, for display and download."""
    ind = registry.indicators[indicator]
    rows = []
    for r in table.iter_rows(named=True):
        rows.append({
            "单位": r["region_name"],
            f"数值（{ind.unit}）": num(r["value"], ind.decimals) if r["value"] is not None else (r["note"] or "未报送"),
            "排名": str(r["rank"]) if r["rank"] is not None else "—",
            f"占{parent_name}": pct(r["share"]),
            "同比": growth_text(r),
            f"较上年末增加（{ind.unit}）": num(r["change_ytd"], ind.decimals) if r["change_ytd"] is not None else "—",
            "增量贡献": pct(r["contribution"]),
            f"分解目标（{ind.unit}）": num(r["subtarget"], ind.decimals) if r["subtarget"] is not None else "—",
            "完成分解目标": pct(r["subtarget_completion"]),
            "状态": _status_text(registry, r["status"]),
        })
    return pl.DataFrame(rows)
