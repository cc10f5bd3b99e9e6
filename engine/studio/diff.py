"""What changed between two versions of a bundle: elements added, removed and changed, and in what.

Elements are matched by id across all files of the bundle (BPMN and DMN alike); the diagram layout
(DI) is not a change of the process. For a changed element the aspects that differ are named: its
name, its attributes (flow ends, default flow, called process...), its texts (conditions, scripts,
timers, table cells, lane members) and its extension properties (department, form, deadline...).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from lxml import etree

from ..bpmn.meta import properties

_LAYOUT_NAMESPACES = ("http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                      "http://www.omg.org/spec/DD/20100524/DI", "https://www.omg.org/spec/DMN/20191111/DMNDI/",
                      "http://www.omg.org/spec/DMN/20180521/DC/", "http://www.omg.org/spec/DMN/20180521/DI/")
_DERIVED = {"incoming", "outgoing"}  # BPMN repeats each flow's ends on the nodes; the flow itself says it
ASPECTS = {"name": "名称", "attributes": "属性", "texts": "内容", "properties": "扩展属性"}


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    kind: str
    name: str
    file: str
    what: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {**asdict(self), "what": list(self.what)}


def _is_semantic(element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace not in _LAYOUT_NAMESPACES


def _texts(element: etree._Element) -> list[tuple[str, str]]:
    """Texts of the element and of descendants without their own id (those are compared on their own)."""
    found = []

    def walk(node, path):
        text = (node.text or "").strip()
        if text:
            found.append((path, text))
        for child in node:
            if not _is_semantic(child) or child.get("id") or etree.QName(child).localname in _DERIVED:
                continue
            walk(child, f"{path}/{etree.QName(child).localname}")
    walk(element, etree.QName(element).localname)
    return found


def signatures(files: Mapping[str, str]) -> dict[str, tuple[str, str, str, dict]]:
    """element id -> (file, kind, name, aspects) for every semantic element of the bundle."""
    found: dict[str, tuple[str, str, str, dict]] = {}
    for name, text in files.items():
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        for element in root.iter():
            if not _is_semantic(element) or not element.get("id") or element is root:
                continue
            aspects = {
                "name": element.get("name") or "",
                "attributes": sorted((k, v) for k, v in element.attrib.items() if k not in ("id", "name")),
                "texts": _texts(element),
                "properties": sorted(properties(element).items()),
            }
            found[element.get("id")] = (name, etree.QName(element).localname, element.get("name") or "", aspects)
    return found


def diff_bundles(old: Mapping[str, str] | None, new: Mapping[str, str]) -> dict[str, list[dict]]:
    """{"added": [...], "removed": [...], "changed": [...]} between two bundles' files (as drawn)."""
    before, after = signatures(old or {}), signatures(new)
    added = [ElementChange(eid, kind, name, file) for eid, (file, kind, name, _) in after.items() if eid not in before]
    removed = [ElementChange(eid, kind, name, file) for eid, (file, kind, name, _) in before.items()
               if eid not in after]
    changed = []
    for eid, (file, kind, name, aspects) in after.items():
        if eid in before:
            what = tuple(label for key, label in ASPECTS.items() if before[eid][3][key] != aspects[key])
            if what:
                changed.append(ElementChange(eid, kind, name, file, what))
    return {"added": [c.as_dict() for c in added], "removed": [c.as_dict() for c in removed],
            "changed": [c.as_dict() for c in changed]}
