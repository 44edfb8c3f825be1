"""A Streamlit session without a browser: the websocket protocol the browser speaks (Streamlit's BackMsg and
ForwardMsg protobufs), for many sessions at once at little cost to the machine.

Used by bench/load.py --clients protocol (the server's own share of thirty officials at once, with the
browsers' drawing left out) and by tests that need many sessions at once (tests/test_many_sessions.py). What a
browser draws is not checked here: that is what the Chromium tests and bench/load.py's browser mode are for.

    async with Session(url) as s:
        run = await s.run()                                   # the overview, as a link opens it
        run = await s.choose(run, "截至月份", "2026年4月")      # a selectbox changed, as a user does
        run = await s.run("districts", "region=东湖高新区")      # another page, as a link opens it
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

ERROR_WORDS = ("Traceback", "Error", "错误")  # an alert saying one is an error (as bench/load.py's browser mode)
# The pages anonymous viewers see: each page's address and a word of its heading (what a room opens first).
ANONYMOUS_PAGES = (("", "总览"), ("indicator", "指标详情"), ("districts", "分区对比"), ("hubei", "湖北目标"),
                   ("tasks", "任务清单"), ("quality", "数据质量"), ("meeting", "会议模式"))


@dataclass
class Run:
    """What one run of the script sent, with times in seconds since the request (the link opened, the widget
    changed)."""

    texts: list[str] = field(default_factory=list)  # every string of every element, in the order sent
    errors: list[str] = field(default_factory=list)  # exception elements, error alerts, alerts naming an error…
    selectboxes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # label: (widget id, options)
    pages: dict[str, str] = field(default_factory=dict)  # url path ("" for the default page): page script hash
    first: float | None = None  # the first message of the run
    done: float | None = None  # the message saying the script finished
    marks_at: float | None = None  # when every wanted text had arrived (Session.run's `wanted`)
    bytes: int = 0

    def text(self) -> str:
        return "\n".join(self.texts)


def _strings(message, into: list[str]) -> None:
    """Every string field of a protobuf message, nested messages and lists included."""
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_STRING:
            into.extend(value if descriptor.is_repeated else [value])
        elif descriptor.type == descriptor.TYPE_MESSAGE:
            for item in value if descriptor.is_repeated else [value]:
                _strings(item, into)


class Session:
    """One browser tab's session on a running dashboard (`url`: http://127.0.0.1:PORT)."""

    def __init__(self, url: str, *, timeout: float = 120, cookie: str | None = None) -> None:
        self.url, self.timeout, self.cookie = url, timeout, cookie  # cookie: "name=value", as a logged-in browser
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # url path: page script hash, from the server's navigation message
        self.page, self.query = "", ""  # where the last run was: a changed widget reruns it

    async def __aenter__(self) -> Session:
        self.ws = await connect(self.url.replace("http://", "ws://", 1) + "/_stcore/stream",
                                subprotocols=["streamlit"], origin=self.url, max_size=None,
                                open_timeout=self.timeout,
                                additional_headers={"Cookie": self.cookie} if self.cookie else None)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page: str = "", query: str = "", *, wanted: list[list[list[str]]] | None = None,
                  widgets: list | None = None, since: float | None = None) -> Run:
        """Run `page` (its url path, "" the default) with `query` (the address's query string) and the widget
        states given, as the browser does for a link or a changed widget; the run's messages until its end.
        `wanted`: per target, its alternatives, each a list of texts all of which must have arrived
        (Run.marks_at: the protocol's first meaningful paint, as bench/_common.PROBE's in a page); `since`: the
        time the times count from (default: now)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        start = time.perf_counter() if since is None else since
        self.page, self.query = page, query
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_script_hash = self.pages.get(page, "")
        if page and page not in self.pages:
            state.page_name = page  # a first request for the page's address: the server finds its script
        if widgets:
            state.widget_states.widgets.extend(widgets)
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        run, ended = Run(), False
        while not ended:
            raw = await _recv(self.ws, self.timeout)
            fwd = ForwardMsg.FromString(raw)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.run.fragment_ids:  # a fragment's own run (the store's watcher): not this run
                continue
            now = time.perf_counter() - start
            run.first = now if run.first is None else run.first
            run.bytes += len(raw)
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                run.pages = dict(self.pages)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element, run)
                if wanted is not None and run.marks_at is None and _all_there(wanted, run):
                    run.marks_at = now
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    run.errors.append("the script did not compile")
                # a fragment's end is not this run's; a run stopped for a rerun is followed by that rerun
                ended = status in ("FINISHED_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR")
                run.done = now if ended else None
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                run.errors.append(f"compilation: {fwd.session_event.script_compilation_exception.message}")
        return run

    async def choose(self, previous: Run, label: str, option: str, *,
                     wanted: list[list[list[str]]] | None = None) -> Run:
        """Set the selectbox `label` of the previous run to `option`, as a user does; the messages of the rerun
        (of the same page, with the same address)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget_id, options = previous.selectboxes[label]
        if option not in options:
            raise ValueError(f"{label} offers no {option!r} (it offers {options[:5]}…)")
        state = WidgetState(id=widget_id, string_value=option)
        return await self.run(self.page, self.query, wanted=wanted, widgets=[state])

    @staticmethod
    def _element(element, run: Run) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        texts: list[str] = []
        _strings(body, texts)
        run.texts += texts
        if kind == "exception":
            run.errors.append(f"exception: {body.type}: {body.message}"[:300])
        elif kind == "alert" and (body.format == body.Format.ERROR or any(w in body.body for w in ERROR_WORDS)):
            run.errors.append(f"alert: {body.body}"[:300])  # st.error (a database it could not read…) or a word
        elif kind == "selectbox":
            run.selectboxes[body.label] = (body.id, list(body.options))
        elif any("Traceback" in t for t in texts):
            run.errors.append(f"traceback text in a {kind}")


def overview_figures(db: Path) -> list[tuple[str, str, str]]:
    """Per target of the overview at its default month (the latest with data): its value as written (4,595.9亿元),
    its completion (91.9%) and its status (进度正常). Reads `db`: call it before a server holds the file."""
    from domain.registry import default_registry
    from metrics.series import months_with_data, resolve
    from metrics.standing import standings
    from presentation.fmt import pct, qty
    from store import Store

    registry = default_registry()
    series = resolve(Store(db).active_observations(), registry)
    return [(qty(s.value, registry.indicators[s.indicator_code].unit, registry.indicators[s.indicator_code].decimals),
             pct(s.completion), registry.statuses[s.status].label)
            for s in standings(series, registry, months_with_data(series)[0])]


def _all_there(wanted: list[list[list[str]]], run: Run) -> bool:
    text = run.text()
    return all(any(all(t in text for t in texts) for texts in alternatives) for alternatives in wanted)


async def _recv(ws: ClientConnection, timeout: float) -> bytes:
    raw = await asyncio.wait_for(ws.recv(), timeout)
    return raw if isinstance(raw, bytes) else raw.encode()
