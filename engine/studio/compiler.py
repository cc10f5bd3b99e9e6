"""From the files a designer drew to what the engine runs: parse, translate, check, expand.

One function answers the deploy API, `yizhan lint` and the studio alike. For every BPMN file it keeps
the text as authored (what a modeler opens again) and builds an executable copy: other modelers'
dialects translated, timers normalised, deadlines expanded into supervision ladders. Every problem on
the way is collected with its file, element, rule and a Chinese message; nothing stops at the first.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from ..bpmn.meta import BPMN, message_names, process_meta
from ..bpmn.xml import parse_xml
from ..errors import DefinitionRejected, TooLarge
from .checks.bundle import ProcessSource, check_called_decisions, check_calls, check_event_refs, check_messages
from .checks.custom import check_custom
from .checks.expressions import check_scripts, normalise_timers
from .checks.structure import check_flows, check_gateways, check_reachable, check_unique_ids, check_unsupported
from .checks.tasks import check_human_tasks
from .checks.trials import (
    Trial,
    check_condition_and_script_values,
    check_decision_values,
    check_department_values,
    check_timer_values,
    choices_of,
)
from .checks.variables import check_condition_variables, provided_names
from .context import CheckContext
from .decisions import check_decisions
from .dialects.camunda import translate_process
from .engine_parse import check_engine_parse
from .ladder import expand, human_tasks_with_deadlines, read_deadline
from .problems import ERROR, Findings, Problem
from .schema import validate_bpmn

DMN_NAMESPACES = ("https://www.omg.org/spec/DMN/20191111/MODEL/", "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
                  "http://www.omg.org/spec/DMN/20180521/MODEL/")


@dataclass
class CompiledFile:
    name: str
    kind: str                     # "bpmn" | "dmn"
    authored: str                 # the text as drawn
    executable: str | None = None  # the text the engine parses (None when the file has errors)
    process_ids: list[str] = field(default_factory=list)
    decision_outputs: list[str] = field(default_factory=list)
    decision_reads: list[tuple[str, int | None, str, str]] = field(default_factory=list)  # cells evaluated as written
    decision_ids: list[str] = field(default_factory=list)


@dataclass
class Compiled:
    files: dict[str, CompiledFile]
    meta: dict                    # process id -> metadata of its executable form
    problems: list[Problem]
    processes: dict[str, ProcessSource] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def raise_for_errors(self) -> None:
        """Refuse with the first error's message; every problem travels along for the studio and the API."""
        if not self.errors:
            return
        first = self.errors[0]
        where = "，".join(part for part in ((first.file or "") + (f" 第 {first.line} 行" if first.line else ""),
                                            f"元素 {first.element_id}" if first.element_id else "") if part)
        more = f"（另有 {len(self.errors) - 1} 个错误）" if len(self.errors) > 1 else ""
        raise DefinitionRejected(f"{where}：{first.message}{more}" if where else first.message + more,
                                 element_id=first.element_id, file=first.file, line=first.line,
                                 problems=[p.as_dict() for p in self.problems])

    def roots(self) -> list[str]:
        """Processes that no other process of these files calls."""
        called = {call.get("calledElement") for source in self.processes.values()
                  for call in source.element.iter(f"{{{BPMN}}}callActivity")}
        return [pid for pid, source in self.processes.items()
                if pid not in called and source.element.get("isExecutable") != "false"]

    def executable_texts(self) -> dict[str, str]:
        return {name: f.executable for name, f in self.files.items() if f.executable is not None}

    def authored_texts(self) -> dict[str, str]:
        return {name: f.authored for name, f in self.files.items()}


def kind_of(root: etree._Element) -> str | None:
    qname = etree.QName(root)
    if qname.namespace == BPMN and qname.localname == "definitions":
        return "bpmn"
    if qname.namespace in DMN_NAMESPACES or (qname.namespace or "").startswith("https://www.omg.org/spec/DMN"):
        return "dmn"
    return None


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("utf-8", errors="replace")


def compile_files(uploads: Mapping[str, bytes], ctx: CheckContext) -> Compiled:
    """Check and translate a set of BPMN/DMN files that belong together; never raises for bad content."""
    findings = Findings(dict(ctx.settings.severities))
    files: dict[str, CompiledFile] = {}
    trees: dict[str, tuple[etree._Element, etree._Element]] = {}
    for name, content in uploads.items():
        try:
            root = parse_xml(content, name).getroot()
        except (DefinitionRejected, TooLarge) as exc:
            message = exc.message.removeprefix(f"{name}: ").removeprefix(f"{name}：")
            findings.add("xml-invalid", message, name, line=getattr(exc, "line", None))
            continue
        kind = kind_of(root)
        if kind is None:
            findings.add("not-bpmn", f"不是 BPMN 2.0 或 DMN 文件（根元素 {etree.QName(root).localname}）", name,
                         line=root.sourceline)
            continue
        files[name] = CompiledFile(name, kind, _decode(content))
        if kind == "dmn":
            files[name].decision_outputs = check_decisions(root, findings, name, files[name].decision_reads)
            files[name].decision_ids = [el.get("id") for el in root if isinstance(el.tag, str)
                                        and etree.QName(el).localname == "decision" and el.get("id")]
            files[name].executable = files[name].authored
        else:
            trees[name] = (root, _translate_file(root, name, ctx, findings, files[name]))
    processes = {pid: source for name, (_, executable) in trees.items() if executable is not None
                 for pid, source in _sources(name, executable, ctx).items()}
    _check_bundle(processes, files, ctx, findings)
    meta: dict = {}
    for name, (_, executable) in trees.items():
        if executable is None:
            continue
        file_errors = [p for p in findings.errors if p.file == name]
        if not file_errors:
            _expand_deadlines(executable, ctx)
            files[name].executable = etree.tostring(executable, encoding="unicode")
        for pid, source in _sources(name, executable, ctx).items():
            meta[pid] = _with_messages(source)
    called = {call.get("calledElement") for source in processes.values()
              for call in source.element.iter(f"{{{BPMN}}}callActivity")}
    if not findings.errors and called <= set(processes):  # a bundle calling deployed processes is parsed at deploy
        texts = {name: f.executable for name, f in files.items() if f.executable is not None}
        check_engine_parse(texts, sorted(processes), findings)
    return Compiled(files, meta, findings.sorted(), processes)


def _translate_file(root: etree._Element, name: str, ctx: CheckContext, findings: Findings,
                    compiled: CompiledFile) -> etree._Element | None:
    """The executable copy of one BPMN file with its per-process checks done; None if it is beyond use."""
    if not check_unique_ids(root, findings, name):
        return None
    executable = copy.deepcopy(root)
    process_elements = executable.findall(f"{{{BPMN}}}process")
    if not process_elements:
        findings.add("no-process", "文件中没有流程（bpmn:process）", name, line=root.sourceline)
        return None
    # bpmn.io marks a new process not executable: a file with no executable process runs all of its processes;
    # otherwise the pools marked not executable are only drawn (the other side of a collaboration)
    runnable = [p for p in process_elements if p.get("isExecutable") != "false"] or process_elements
    for process in process_elements:
        compiled.process_ids.append(process.get("id"))
        if process not in runnable:
            continue
        process.set("isExecutable", "true")
        unmapped = translate_process(process, ctx, findings, name)
        normalise_timers(process, findings, name)
        check_flows(process, findings, name)
        check_unsupported(process, findings, name)
        check_event_refs(executable, process, findings, name)
        check_scripts(process, findings, name)
        meta = process_meta(process, ctx.departments)
        check_human_tasks(process, meta, ctx, findings, name, unmapped)
        check_reachable(process, findings, name)
        check_gateways(process, findings, name)
        check_custom(ctx.settings.custom, process, meta, findings, name)
    if not [p for p in findings.errors if p.file == name]:
        validate_bpmn(executable, name, findings)
    return executable


def _sources(name: str, executable: etree._Element, ctx: CheckContext) -> dict[str, ProcessSource]:
    return {p.get("id"): ProcessSource(name, p, executable, process_meta(p, ctx.departments))
            for p in executable.findall(f"{{{BPMN}}}process")}


def _check_bundle(processes: dict[str, ProcessSource], files: dict[str, CompiledFile], ctx: CheckContext,
                  findings: Findings) -> None:
    owners: dict[str, str] = {}
    for compiled in files.values():
        for pid in compiled.process_ids:
            if pid in owners and owners[pid] != compiled.name:
                findings.add("duplicate-process", f"流程 “{pid}” 同时定义在 {owners[pid]} 和 {compiled.name} 中",
                             compiled.name, element_id=pid)
            owners.setdefault(pid, compiled.name)
    check_calls(processes, ctx.deployed_processes, findings)
    check_called_decisions(processes, {d for f in files.values() for d in f.decision_ids}, findings)
    check_messages(processes, findings)
    outputs = [o for f in files.values() for o in f.decision_outputs]
    provided = provided_names([s.element for s in processes.values()], ctx.forms, outputs)
    trial = Trial.of(ctx, provided, choices_of([s.element for s in processes.values()], ctx.forms, outputs))
    for source in processes.values():
        check_condition_variables(source.element, provided, findings, source.file)
        if source.element.get("isExecutable") != "false":  # a pool only drawn never runs
            check_timer_values(source.element, trial, findings, source.file)
            check_condition_and_script_values(source.element, trial, findings, source.file)
            check_department_values(source.element, source.meta, ctx.departments, trial, findings, source.file)
    for compiled in files.values():
        check_decision_values(compiled.decision_reads, trial, findings, compiled.name)


def _expand_deadlines(executable: etree._Element, ctx: CheckContext) -> None:
    for process in executable.findall(f"{{{BPMN}}}process"):
        lanes = process_meta(process, ctx.departments)["tasks"]
        for task in human_tasks_with_deadlines(process):
            deadline = read_deadline(task)
            lane = lanes.get(task.get("id"), {}).get("lane")
            expand(executable, process, task, deadline, lane)


def _with_messages(source: ProcessSource) -> dict:
    meta = copy.deepcopy(source.meta)
    names = message_names(source.root)
    for info in meta["messages"].values():
        info["message"] = names.get(info.pop("message_ref"), None)
    return meta
