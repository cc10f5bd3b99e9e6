"""A process bundle: the BPMN and DMN files of one deployable process, checked and parsed into specs."""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import BpmnValidator, SpiffBpmnParser

from ..errors import DefinitionRejected
from .checks import call_graph, check_no_recursion, check_process, check_unique_ids, normalise_timers
from .meta import BPMN, message_names
from .timers import install_clocked_timers
from .xml import parse_xml

DMN_NAMESPACES = ("https://www.omg.org/spec/DMN/20191111/MODEL/", "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
                  "http://www.omg.org/spec/DMN/20180521/MODEL/")


@dataclass
class CheckedFile:
    name: str
    kind: str  # "bpmn" | "dmn"
    content: str  # normalised XML text
    root: etree._Element
    process_ids: list[str]


@dataclass
class ParsedBundle:
    """Spec objects ready to run: the main spec, its call-activity specs and the engine's metadata."""

    main: str
    spec: object
    subprocess_specs: dict
    meta: dict


@functools.cache
def _validator() -> BpmnValidator:
    return BpmnValidator()


def _kind_of(root: etree._Element, filename: str) -> str:
    namespace = etree.QName(root).namespace
    if namespace == BPMN and etree.QName(root).localname == "definitions":
        return "bpmn"
    if namespace in DMN_NAMESPACES or (namespace or "").startswith("https://www.omg.org/spec/DMN"):
        return "dmn"
    raise DefinitionRejected(f"{filename}：不是 BPMN 2.0 或 DMN 文件（根元素 {root.tag}）", file=filename)


def check_file(name: str, content: bytes, departments: Mapping[str, str],
               form_keys: set[str] | None) -> tuple[CheckedFile, dict]:
    """Parse safely, check and normalise one file; return it with the metadata of its processes."""
    tree = parse_xml(content, name)
    root = tree.getroot()
    kind = _kind_of(root, name)
    meta: dict = {}
    process_ids: list[str] = []
    if kind == "bpmn":
        check_unique_ids(root, name)
        normalise_timers(root, name)
        try:
            _validator().validate(root, name)
        except ValidationException as exc:
            raise DefinitionRejected(f"{name} 第 {exc.line_number} 行：不符合 BPMN 2.0 规范：{exc}",
                                     file=name, line=exc.line_number or None) from exc
        messages = message_names(root)
        processes = root.findall(f"{{{BPMN}}}process")
        if not processes:
            raise DefinitionRejected(f"{name}：文件中没有流程（bpmn:process）", file=name)
        for process in processes:
            pid = process.get("id")
            process_meta = check_process(process, departments, form_keys, name)
            for info in process_meta["messages"].values():
                info["message"] = messages.get(info.pop("message_ref"), None)
            meta[pid] = process_meta
            process_ids.append(pid)
    text = etree.tostring(root, encoding="unicode")
    return CheckedFile(name, kind, text, root, process_ids), meta


def check_bundle(files: list[CheckedFile]) -> None:
    """Across files: no process defined twice, no call activity calling its own process."""
    owners: dict[str, str] = {}
    elements: dict[str, etree._Element] = {}
    for checked in files:
        for process in checked.root.findall(f"{{{BPMN}}}process"):
            pid = process.get("id")
            if pid in owners:
                raise DefinitionRejected(f"流程 “{pid}” 同时定义在 {owners[pid]} 和 {checked.name} 中",
                                         element_id=pid, file=checked.name)
            owners[pid] = checked.name
            elements[pid] = process
    check_no_recursion(call_graph(elements), elements, owners)


def roots(files: list[CheckedFile]) -> list[str]:
    """Processes no other process in the bundle calls."""
    processes = {p.get("id"): p for f in files for p in f.root.findall(f"{{{BPMN}}}process")}
    called = set().union(*call_graph(processes).values()) if processes else set()
    return [pid for pid in processes if pid not in called]


def parse_bundle(files: Mapping[str, str], main: str, meta: dict) -> ParsedBundle:
    """Build SpiffWorkflow specs from stored (already checked) file texts."""
    parser = SpiffBpmnParser()
    try:
        for name, text in files.items():
            root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False,
                                                                           no_network=True))
            if _kind_of(root, name) == "dmn":
                parser.add_dmn_xml(root, filename=name)
            else:
                parser.add_bpmn_xml(root, filename=name)
        spec = parser.get_spec(main)
        subprocess_specs = parser.get_subprocess_specs(main)
    except ValidationException as exc:
        line = exc.line_number or _line_of(files, exc.file_name, exc.id)
        where = f"{exc.file_name or ''}" + (f" 第 {line} 行" if line else "") + (f"，元素 {exc.id}" if exc.id else "")
        raise DefinitionRejected(f"{where}：{exc}", element_id=exc.id or None,
                                 file=exc.file_name or None, line=line or None) from exc
    install_clocked_timers([spec, *subprocess_specs.values()])
    return ParsedBundle(main, spec, subprocess_specs, meta)


def _line_of(files: Mapping[str, str], filename: str | None, element_id: str | None) -> int | None:
    if not filename or not element_id or filename not in files:
        return None
    root = etree.fromstring(files[filename].encode("utf-8"))
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0].sourceline if found else None
