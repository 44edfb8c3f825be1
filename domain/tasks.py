"""The plans' tasks as typed records: data/tasks.toml (extracted from the policy texts by tools/extract_tasks.py),
data/units.toml (the responsible units, their aliases and earlier names) and data/task_links.toml (which task
moves which indicator), read and checked together, every problem reported at once as domain.registry does.

A unit name in a task is resolved to one unit of units.toml (by name, alias or earlier name), so each unit sees
every task it leads or shares, also those a 2016 text gave to its predecessor, and a member of a group
(东湖高新区管委会 in 各区人民政府) sees the group's tasks too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.errors import RegistryError
from domain.model import Registry
from domain.registry import _Entry, _File, _Problems, _unique, data_dir, default_registry

UNIT_KINDS = ("city", "province", "central", "government", "enterprise", "group")
ROLES = ("lead", "responsible", "shared")
"""How a task names a unit: 牵头单位, 责任单位, or one of the units of a merged "…按职责分工负责" cell."""
VIA_GROUP = "group"
"""A unit reached through a group it belongs to (各区人民政府 → 江岸区人民政府)."""


@dataclass(frozen=True)
class Plan:
    """What the task tracker knows of a document beyond data/targets.toml's [[document]]."""

    id: str
    seed: str
    """The seed text the tasks were extracted from (data/seeds/)."""
    end: dt.date
    """The plan's end: the deadline of a task that names none."""
    end_wording: str
    archived: bool
    """An archive (WH2016): shown, never followed up (no overdue)."""
    note: str


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    aliases: tuple[str, ...]
    formerly: tuple[str, ...]
    """Earlier names (renamings, mergers): a task written to one of them is this unit's."""
    region: str | None
    groups: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Task:
    id: str
    document: str
    number: str
    """As written: 9, 25, （九）, (一)."""
    part: str
    action: str
    clause: str
    text: str
    """The task's wording, verbatim from the seed."""
    source: str
    lead: tuple[str, ...]
    """Units, by their current names (units.toml), in the order written."""
    responsible: tuple[str, ...]
    shared: tuple[str, ...]
    units_as_written: str
    lead_as_written: str
    deadline_as_written: str
    deadline: dt.date
    """完成时限 where the text gives one (WH2016: the year's end; 每年: the plan's end), else the plan's end."""
    archived: bool

    def roles(self) -> list[tuple[str, str]]:
        """(unit, role) for every unit the task names, in the order written."""
        return ([(u, "lead") for u in self.lead] + [(u, "responsible") for u in self.responsible]
                + [(u, "shared") for u in self.shared])

    @property
    def title(self) -> str:
        """The task's first sentence (its heading in the plans that have one)."""
        head = self.text.split("。")[0]
        return head if len(head) <= 40 else head[:40] + "…"


@dataclass(frozen=True)
class TaskLink:
    task: str
    indicator: str
    quote: str
    note: str


@dataclass(frozen=True)
class TaskRegistry:
    plans: dict[str, Plan]
    tasks: dict[str, Task]
    """In document order (WH2027, WHC, HB2026, WH2016), each as its text orders them."""
    units: dict[str, Unit]
    links: tuple[TaskLink, ...]
    names: dict[str, str]
    """Every name a unit goes by (name, aliases, earlier names) → its current name."""

    def unit_named(self, name: str) -> Unit | None:
        current = self.names.get(name)
        return None if current is None else self.units[current]

    def members(self, group: str) -> list[Unit]:
        return [u for u in self.units.values() if group in u.groups]

    def tasks_of(self, unit: str) -> list[tuple[Task, str]]:
        """(task, role) for every task that names `unit`, directly or through a group it belongs to
        (role VIA_GROUP then); a unit named twice in one task counts once, by its first role."""
        groups = set(self.units[unit].groups) if unit in self.units else set()
        out = []
        for task in self.tasks.values():
            roles = task.roles()
            mine = next((role for u, role in roles if u == unit), None)
            if mine is None and any(u in groups for u, _ in roles):
                mine = VIA_GROUP
            if mine is not None:
                out.append((task, mine))
        return out

    def links_of(self, task: str) -> list[TaskLink]:
        return [link for link in self.links if link.task == task]

    def tasks_on(self, indicator: str) -> list[tuple[Task, TaskLink]]:
        """The tasks that move `indicator`, with the words that say so."""
        return [(self.tasks[link.task], link) for link in self.links if link.indicator == indicator]


# -- reading -----------------------------------------------------------------------------------------------------


def _strings(e: _Entry, key: str) -> tuple[str, ...]:
    values = e.get(key, list, required=False, default=[])
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise e.fail(f"{key} 必须是非空字符串的列表")
    return tuple(values)


def _read_units(f: _File, problems: _Problems, regions: Registry) -> tuple[dict[str, Unit], dict[str, str]]:
    entries = _unique(f.entries("unit"), "name", problems)
    units: dict[str, Unit] = {}
    names: dict[str, str] = {}
    for e in entries:
        with problems.checking():
            e.only("name", "kind", "aliases", "formerly", "region", "groups", "note")
            u = Unit(name=e.get("name", str), kind=e.choice("kind", UNIT_KINDS), aliases=_strings(e, "aliases"),
                     formerly=_strings(e, "formerly"), region=e.get("region", str, required=False),
                     groups=_strings(e, "groups"), note=e.get("note", str, required=False, default=""))
            for name in (u.name, *u.aliases, *u.formerly):
                if names.get(name, u.name) != u.name:
                    raise e.fail(f"名称「{name}」已属于单位「{names[name]}」，一个名称只能对应一个单位")
            if u.region is not None:
                if u.region not in regions.regions:
                    raise e.fail(f"地区 region「{u.region}」不存在于 regions.toml")
                if u.kind != "government":
                    raise e.fail("只有 kind = \"government\" 的单位可以填写 region")
            units[u.name] = u
            names.update(dict.fromkeys((u.name, *u.aliases, *u.formerly), u.name))
    for e in entries:
        u = units.get(e.raw.get("name"))
        if u is None:
            continue
        with problems.checking():
            for group in u.groups:
                if group not in units or units[group].kind != "group":
                    raise e.fail(f"所属集合 groups 中的「{group}」不是 kind = \"group\" 的单位")
    return units, names


def _read_plans(f: _File, problems: _Problems, registry: Registry) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for e in _unique(f.entries("plan"), "id", problems):
        with problems.checking():
            e.only("id", "seed", "end", "end_wording", "archived", "note")
            p = Plan(id=e.get("id", str), seed=e.get("seed", str), end=e.date("end", required=True),
                     end_wording=e.get("end_wording", str), archived=e.get("archived", bool), note=e.get("note", str))
            if p.id not in registry.documents:
                raise e.fail(f"文件「{p.id}」未在 targets.toml 的 [[document]] 中登记")
            plans[p.id] = p
    return plans


def deadline_of(written: str, plan: Plan) -> dt.date | None:
    """完成时限 as written → the date: "2016 年" → 2016-12-31; "每年" (every year) → the plan's end; "" → the plan's
    end; None when it cannot be read."""
    text = written.replace(" ", "")
    if not text or text == "每年":
        return plan.end
    m = re.fullmatch(r"(\d{4})年(?:底|末)?", text)
    return dt.date(int(m[1]), 12, 31) if m else None


def _read_tasks(f: _File, problems: _Problems, plans: dict[str, Plan], names: dict[str, str] | None
                ) -> dict[str, Task]:
    """`names`: every unit name of units.toml; None when that file could not be read (units are then not checked)."""
    tasks: dict[str, Task] = {}
    for e in _unique(f.entries("task"), "id", problems):
        with problems.checking():
            e.only("id", "document", "number", "part", "action", "clause", "text", "source", "lead", "responsible",
                   "shared", "lead_as_written", "units_as_written", "deadline_as_written")
            document = e.get("document", str)
            plan = plans.get(document)
            if plan is None:
                raise e.fail(f"文件 document「{document}」未在 [[plan]] 中登记")
            written = {role: _strings(e, role) for role in ROLES}
            if not any(written.values()):
                raise e.fail("没有任何单位（lead、responsible、shared 至少填一项）")
            unknown = [n for names_ in written.values() for n in names_ if names is not None and n not in names]
            if unknown:
                raise e.fail(f"单位「{'」「'.join(unknown)}」未在 units.toml 中登记（请添加单位或别名）")
            current = {role: tuple(dict.fromkeys(names.get(n, n) if names else n for n in ns))
                       for role, ns in written.items()}
            deadline_text = e.get("deadline_as_written", str, required=False, default="")
            deadline = deadline_of(deadline_text, plan)
            if deadline is None:
                raise e.fail(f"完成时限「{deadline_text}」无法识别（应为“2017年”或“每年”）")
            t = Task(id=e.get("id", str), document=document, number=e.get("number", str), part=e.get("part", str),
                     action=e.get("action", str), clause=e.get("clause", str), text=e.get("text", str),
                     source=e.get("source", str), lead=current["lead"], responsible=current["responsible"],
                     shared=current["shared"], units_as_written=e.get("units_as_written", str),
                     lead_as_written=e.get("lead_as_written", str, required=False, default=""),
                     deadline_as_written=deadline_text, deadline=deadline, archived=plan.archived)
            tasks[t.id] = t
    return tasks


def _read_links(f: _File, problems: _Problems, tasks: dict[str, Task], known_tasks: set[str] | None,
                registry: Registry) -> tuple[TaskLink, ...]:
    links = []
    seen: set[tuple[str, str]] = set()
    for e in f.entries("link", optional=True):
        with problems.checking():
            e.only("task", "indicator", "quote", "note")
            link = TaskLink(task=e.get("task", str), indicator=e.get("indicator", str), quote=e.get("quote", str),
                            note=e.get("note", str, required=False, default=""))
            if link.indicator not in registry.indicators:
                raise e.fail(f"指标 indicator「{link.indicator}」不存在于 indicators.toml")
            if known_tasks is not None and link.task not in known_tasks:
                raise e.fail(f"任务 task「{link.task}」不存在于 tasks.toml")
            task = tasks.get(link.task)
            if task is not None and link.quote not in task.text:
                raise e.fail(f"依据 quote「{link.quote}」不是任务「{link.task}」原文中的话")
            if (link.task, link.indicator) in seen:
                raise e.fail(f"任务「{link.task}」与指标「{link.indicator}」的对应重复")
            seen.add((link.task, link.indicator))
            links.append(link)
    return tuple(links)


def load_tasks(data: Path, registry: Registry) -> TaskRegistry:
    """Read and check tasks.toml, units.toml and task_links.toml in `data` against `registry` (its documents,
    regions and indicators); raises RegistryError listing every problem (file, line, fix)."""
    problems = _Problems()
    files = {name: _File(data / f"{name}.toml", problems) for name in ("tasks", "units", "task_links")}
    units, names = _read_units(files["units"], problems, registry)
    plans = _read_plans(files["tasks"], problems, registry)
    tasks = _read_tasks(files["tasks"], problems, plans, names if files["units"].ok else None)
    known = {r.get("id") for r in files["tasks"].doc.get("task", []) if isinstance(r, dict)} if files["tasks"].ok \
        else None
    links = _read_links(files["task_links"], problems, tasks, known, registry)
    if problems.messages:
        raise RegistryError(problems.messages)
    order = {doc: i for i, doc in enumerate(plans)}
    ordered = dict(sorted(tasks.items(), key=lambda kv: order[kv[1].document]))
    return TaskRegistry(plans=plans, tasks=ordered, units=units, links=links, names=names)


@cache
def _tasks_at(path: str) -> TaskRegistry:
    return load_tasks(Path(path), default_registry())


def default_tasks() -> TaskRegistry:
    """The task registry in data_dir(), read once per process (edits need a restart)."""
    return _tasks_at(str(data_dir()))
