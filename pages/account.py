"""Who is at the keyboard: the sidebar's login form (用户名, 密码, 登录) or the account and 退出登录, and the
session cookie that keeps a login across a page reload; or, when .streamlit/secrets.toml configures the
organisation's OpenID Connect provider, its single sign-on (Streamlit's st.login) beside the form.

Streamlit can read the browser's cookies (st.context.cookies, sent with each new connection) but not set
them, so a small script sets or clears the cookie after a login or logout. The cookie holds only a random
token; the database knows whose it is, refreshes it on use and ends it after 8 idle hours, at logout, or when
the account is disabled (store.accounts). The script is not HttpOnly; that is why the token alone opens
nothing once ended, the cookie is SameSite=Strict, and no upload text ever renders as HTML.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time

import streamlit as st

from domain.errors import UserError
from domain.registry import default_registry
from pages import common
from presentation.fmt import md_text
from store import access, accounts
from store.access import ANONYMOUS, ROLE_LABELS, Actor, settings

COOKIE = "tfm_session"
_TOKEN = "_session_token"  # this session's token, once logged in or resumed from the cookie
_COOKIE_READ = "_session_cookie_read"  # the cookie is read once per session: it cannot change within one
_COOKIE_SET = "_session_cookie_set"  # the cookie to write on the next run: a token, or "" to clear it
_ACTOR = "_actor"
_NOTE = "_login_note"
_SSO_ACTOR = "_sso_actor"  # the account a single sign-on identity was signed in as, once per browser session
_CHECKED = "_session_checked"  # (token, the store's sessions revision, time.monotonic(), actor) of the last check
_RECHECK = accounts.TOUCH_EVERY.total_seconds()  # a check at least this often keeps the session alive

log = logging.getLogger(__name__)


def sso_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section for st.login (README: 统一身份认证)."""
    return _sso_in(_secrets_stamp())


def _secrets_stamp() -> tuple[tuple[str, float | None], ...]:
    """The secrets files and when each was last changed: without a secrets file, Streamlit looks for one
    again at every call, reading the disk four times a run."""
    stamps = []
    for path in st.get_option("secrets.files"):
        try:
            stamps.append((path, os.stat(path).st_mtime))
        except OSError:
            stamps.append((path, None))
    return tuple(stamps)


@functools.lru_cache(maxsize=4)
def _sso_in(stamp: tuple[tuple[str, float | None], ...]) -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except Exception:  # a broken secrets file: Streamlit's own st.login reports it; the form still works
        log.exception("could not read .streamlit/secrets.toml")
        return False


def _sso_actor() -> Actor | None:
    """The account of a user signed in through the provider (Streamlit keeps the identity in its own cookie),
    signed in here once per browser session; None when nobody is."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    actor = st.session_state.get(_SSO_ACTOR)
    if actor is None:
        try:
            actor = accounts.sso_sign_in(common.store(), st.user.to_dict())
        except UserError as e:  # refused (no role, disabled, a local name): said once, then anonymous
            st.session_state[_NOTE] = str(e)
            actor = ANONYMOUS
        st.session_state[_SSO_ACTOR] = actor
    return actor


def current() -> Actor:
    """The acting user of this run (also kept for the page as `who()`). A login is checked against the
    database at the first run, again whenever the store's sessions revision changed (a logout elsewhere, an
    expiry, an account disabled or changed: at the next run), and at least once a minute, which keeps the
    session alive; other reruns open nothing (a room of thirty logged-in officials, a search box). A single
    sign-on user is checked when the browser session starts; every write checks them again in the store."""
    sso = _sso_actor()
    if sso is not None:
        st.session_state[_ACTOR] = sso
        return sso
    token = st.session_state.get(_TOKEN)
    if token is None and not st.session_state.get(_COOKIE_READ):
        st.session_state[_COOKIE_READ] = True
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None  # AppTest answers with a mock
    actor = ANONYMOUS
    if token:
        checked = st.session_state.get(_CHECKED)
        revision = common.store().sessions_revision()
        if checked is not None and checked[:2] == (token, revision) and time.monotonic() - checked[2] < _RECHECK:
            st.session_state[_ACTOR] = checked[3]
            return checked[3]
        try:
            resumed = accounts.resume_session(common.store(), token)
        except UserError:
            # The database could not be read (a command-line ingest held it longer than the store waits): not
            # a logout. This run acts as the last one found; the next checks again, and every write checks
            # in the store.
            log.exception("could not resume a session")
            st.session_state[_TOKEN] = token
            actor = st.session_state.get(_ACTOR, ANONYMOUS)
            st.session_state[_ACTOR] = actor
            return actor
        if resumed is None:
            if st.session_state.pop(_TOKEN, None):
                st.session_state[_NOTE] = "登录已过期或已在别处退出，请重新登录。"
            st.session_state[_COOKIE_SET] = ""
        else:
            st.session_state[_TOKEN] = token
            st.session_state[_CHECKED] = (token, revision, time.monotonic(), resumed)
            actor = resumed
    st.session_state[_ACTOR] = actor
    return actor


def who() -> Actor:
    """The acting user dashboard.py found for this run; the store checks it again at every write."""
    return st.session_state.get(_ACTOR, ANONYMOUS)


def _write_cookie() -> None:
    value = st.session_state.pop(_COOKIE_SET, None)
    if value is None:
        return
    cookie = f"{COOKIE}={value}; path=/; SameSite=Strict" + ("" if value else "; max-age=0")
    # The token is URL-safe base64, and json.dumps quotes it for JavaScript.
    st.sidebar.html(f"<script>document.cookie = {json.dumps(cookie)} + "
                    "(location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def _log_in(name: str, password: str) -> None:
    store = common.store()
    try:
        with store.kept_open():  # one open for the account's row, its update and the new session
            actor = accounts.authenticate(store, name, password)
            token = accounts.open_session(store, actor)
    except UserError as e:
        st.session_state[_NOTE] = str(e)
        return
    st.session_state[_TOKEN] = token
    st.session_state[_COOKIE_SET] = token
    st.session_state.pop(_NOTE, None)
    st.rerun()


def _log_out() -> None:
    token = st.session_state.pop(_TOKEN, None)
    if token:
        accounts.end_session(common.store(), token)
    st.session_state[_COOKIE_SET] = ""
    st.session_state[_ACTOR] = ANONYMOUS
    st.rerun()


def _sso_log_out(actor: Actor) -> None:
    accounts.record_sso_logout(common.store(), actor.name)
    st.session_state.pop(_SSO_ACTOR, None)
    st.logout()  # clears Streamlit's identity cookie, signs out at the provider when it offers that, reloads


def sidebar(actor: Actor) -> None:
    """The login form (and the single sign-on button when configured), or who is logged in with 退出登录."""
    _write_cookie()
    signed_on = st.session_state.get(_SSO_ACTOR) is not None
    if actor.is_user:
        regions = default_registry().regions
        unit = f"，限报{md_text(regions[actor.unit].name)}" if actor.unit in regions else ""
        agency = f"，限报{md_text(actor.agency)}负责的数据" if actor.agency else ""
        via = "，统一身份认证" if signed_on else ""
        st.sidebar.caption(f"已登录：**{md_text(actor.name)}**（{ROLE_LABELS[actor.role]}{unit}{agency}{via}）")
        if st.sidebar.button("退出登录", key="logout", icon=":material/logout:"):
            _sso_log_out(actor) if signed_on else _log_out()
        return
    if signed_on:  # the provider knows them, this dashboard refused them: let them sign out there
        note = st.session_state.pop(_NOTE, None)
        if note:
            st.sidebar.error(note)
        if st.sidebar.button("退出统一身份认证", key="sso_logout", icon=":material/logout:"):
            st.session_state.pop(_SSO_ACTOR, None)
            st.logout()
        return
    if sso_configured() and st.sidebar.button(access.sso_settings().button_label, key="sso_login", type="primary",
                                               icon=":material/badge:", width="stretch"):
        st.login()
    message = st.sidebar.empty()  # above the 登录 button, where the open form below it does not cover a refusal
    # In a popover: its fields are drawn only when opened, so a viewer's browser does not build a form on every
    # page it opens (bench/page_speed.py: about a tenth of the overview's drawing time, warm).
    with st.sidebar.popover("登录", icon=":material/login:", width="stretch"), \
            st.form("login", clear_on_submit=True, border=False):
        name = st.text_input("用户名", key="login_name")
        password = st.text_input("密码", type="password", key="login_password")
        if st.form_submit_button("登录", key="login_submit"):
            _log_in(name, password)
    note = st.session_state.pop(_NOTE, None)
    if note:
        message.error(note)
    elif not settings().anonymous_viewing:
        st.sidebar.caption("请登录后查看。")


def login_required(actor: Actor) -> bool:
    """Whether this visitor must log in before seeing any page (data/access.toml: anonymous_viewing)."""
    return not actor.is_user and not settings().anonymous_viewing
