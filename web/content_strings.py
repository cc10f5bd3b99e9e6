"""The Chinese texts our own diagrams and forms carry (task and stage names, form titles, help, choices).

They are written in Chinese by the process designers; the English catalogue translates them by their
Chinese text (`content()` in templates). This module lists them, so a test can prove the catalogue
covers every one, and a diagram or form added later shows up as missing until it is translated.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
WORKFLOWS = ROOT / "workflows"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_NAMED = {"process", "userTask", "manualTask", "task", "callActivity", "subProcess", "lane", "startEvent",
          "endEvent", "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent", "exclusiveGateway",
          "parallelGateway", "inclusiveGateway", "eventBasedGateway", "scriptTask", "serviceTask",
          "businessRuleTask", "sendTask", "receiveTask", "message", "sequenceFlow", "decision"}


def _schema_texts(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key in ("title", "description"):
            if isinstance(node.get(key), str):
                yield node[key]
        for label in (node.get("x-enum-labels") or {}).values():
            yield label
        for value in node.values():
            yield from _schema_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_texts(value)


def form_texts(folder: Path = FORMS) -> set[str]:
    """Every title, description and choice label in the form schemas."""
    texts: set[str] = set()
    for path in folder.glob("*.json"):
        texts.update(_schema_texts(json.loads(path.read_text(encoding="utf-8"))))
    return {t for t in texts if CJK.search(t)}


def diagram_texts(folder: Path = WORKFLOWS) -> set[str]:
    """The names of processes, tasks, events, lanes and messages in the shipped diagrams."""
    texts: set[str] = set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in list(folder.glob("**/*.bpmn")) + list(folder.glob("**/*.dmn")):
        for element in etree.parse(str(path), parser).iter():
            if isinstance(element.tag, str) and etree.QName(element).localname in _NAMED and element.get("name"):
                texts.add(element.get("name").strip())
    return {t for t in texts if CJK.search(t)}


def content_texts() -> set[str]:
    return form_texts() | diagram_texts()


if __name__ == "__main__":
    for text in sorted(content_texts()):
        print(text)
