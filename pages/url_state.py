"""Choices that follow the user across pages and stay in the address: 截至月份 (?as_of=2026-10) and 地区
(?region=东湖高新区).

Streamlit's page links drop the query string, so each run puts the choice back into the address from the
session; a link someone pasted (a parameter the session did not write) wins over the session, in the canonical
form (?region=光谷 becomes ?region=东湖高新区); a parameter that names nothing known is dropped with a one-line
notice saying what is shown instead. The default (the latest month, 武汉市) keeps the address clean.

Call `before_widget` before drawing the widget whose key is the parameter's name, and `after_widget` with what
it returned.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from presentation.fmt import md_text

_WRITTEN = "_url_written_"  # + param: the value this session last put in the address (None: none)
_KEPT = "_url_kept_"  # + param: the session's choice, kept apart from the widget's own state
_DEFAULT = "_url_default_"  # + param: its default when last drawn (links leave it out)
EXCERPT = 20  # characters of a bad parameter quoted back


def before_widget(param: str, options: list[str], default: str, *, what: str,
                  resolve: Callable[[str], str | None] = lambda raw: raw,
                  label: Callable[[str], str] = str) -> None:
    """Bring st.session_state[param] (the widget's value) in line with the address and the options."""
    raw = st.query_params.get(param)
    if raw is not None and raw != st.session_state.get(_WRITTEN + param):
        value = resolve(raw)
        if value in options:
            st.session_state[param] = value
        else:
            current = st.session_state.get(param)
            shown = current if current in options else default
            quoted = raw if len(raw) <= EXCERPT else raw[:EXCERPT] + "…"
            # once: after_widget corrects the address, so the next run does not see it again
            st.info(f"链接中的{what}“{md_text(quoted)}”无法识别或没有数据，已显示{md_text(label(shown))}。", icon=":material/link_off:")
    # Set every run, even to the value it seems to hold: on another page the widget is a new one, which takes
    # its default unless a value is set for it now (a widget's value also goes when a page does not draw it).
    value = st.session_state.get(param)
    if value not in options:
        kept = st.session_state.get(_KEPT + param)
        value = kept if kept in options else default
    st.session_state[param] = value


def after_widget(param: str, value: str, default: str) -> None:
    """Put the choice in the address (the default leaves it out) and remember what was written."""
    st.session_state[_KEPT + param] = value
    st.session_state[_DEFAULT + param] = default
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
        st.session_state[_WRITTEN + param] = None
    else:
        st.query_params[param] = value
        st.session_state[_WRITTEN + param] = value



def carried(params: tuple[str, ...]) -> dict[str, str]:
    """What a link to a page that follows `params` carries: each choice as it stands (a link just followed, a
    widget just changed, else what the session chose before); the defaults stay out."""
    out = {}
    for p in params:
        raw = st.query_params.get(p)
        if raw is not None and raw != st.session_state.get(_WRITTEN + p):
            value = raw  # a link just followed: the page it leads to checks it
        else:
            value = st.session_state.get(p) or st.session_state.get(_KEPT + p)
        if value and value != st.session_state.get(_DEFAULT + p):
            out[p] = value
    return out


_RUN = "_url_this_run"


def new_run() -> None:
    """A run begins (pages/common.begin_run): nothing drawn yet."""
    st.session_state[_RUN] = {}


def this_run() -> dict[str, str]:
    """The choices drawn in this run, by parameter: a page that asks again gets the same answer, not a second
    widget."""
    return st.session_state.setdefault(_RUN, {})
