"""A process bundle: the executable BPMN and DMN files of one deployable process, parsed into specs."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from ..errors import DefinitionRejected
from ..studio.engine_parse import explain
from .meta import BPMN
from .timers import install_clocked_timers


@dataclass
class ParsedBundle:
    """Spec objects ready to run: the main spec, its call-activity specs and the engine's metadata."""

    main: str
    spec: object
    subprocess_specs: dict
    meta: dict


def _kind_of(root: etree._Element) -> str:
    return "dmn" if etree.QName(root).namespace != BPMN else "bpmn"


def parse_bundle(files: Mapping[str, str], main: str, meta: dict) -> ParsedBundle:
    """Build SpiffWorkflow specs from stored (already checked) file texts."""
    parser = SpiffBpmnParser()
    try:
        for name, text in files.items():
            root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False,
                                                                           no_network=True))
            if _kind_of(root) == "dmn":
                parser.add_dmn_xml(root, filename=name)
            else:
                parser.add_bpmn_xml(root, filename=name)
        spec = parser.get_spec(main)
        subprocess_specs = parser.get_subprocess_specs(main)
    except ValidationException as exc:
        line = exc.line_number or _line_of(files, exc.file_name, exc.id)
        where = f"{exc.file_name or ''}" + (f" 第 {line} 行" if line else "") + (f"，元素 {exc.id}" if exc.id else "")
        raise DefinitionRejected(f"{where}：{explain(str(exc))}", element_id=exc.id or None,
                                 file=exc.file_name or None, line=line or None) from exc
    install_clocked_timers([spec, *subprocess_specs.values()])
    return ParsedBundle(main, spec, subprocess_specs, meta)


def _line_of(files: Mapping[str, str], filename: str | None, element_id: str | None) -> int | None:
    if not filename or not element_id or filename not in files:
        return None
    root = etree.fromstring(files[filename].encode("utf-8"))
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0].sourceline if found else None
