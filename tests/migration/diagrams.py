"""New versions of the shipped bundle for the migration tests, made from the shipped files by small edits."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
WAYPOINT = "{http://www.omg.org/spec/DD/20100524/DI}waypoint"


def shipped() -> dict[str, bytes]:
    """The shipped diagrams and decision tables, as deploy takes them."""
    files = {p.name: p.read_bytes() for p in sorted((ROOT / "workflows").rglob("*")) if p.suffix in (".bpmn", ".dmn")}
    return files


def _tree(text: bytes):
    return etree.fromstring(text, etree.XMLParser(resolve_entities=False, no_network=True))


def _text(root) -> bytes:
    return etree.tostring(root, encoding="utf-8")


def _q(tag: str, ns: str = BPMN_NS) -> str:
    return f"{{{ns}}}{tag}"


def _by_id(root, element_id: str):
    return root.xpath("//*[@id=$id]", id=element_id)[0]


def with_task_on_flow(files: dict[str, bytes], file: str, flow_id: str, task_id: str, name: str,
                      lane: str = "center") -> dict[str, bytes]:
    """`file` with a user task `task_id` of `lane` put on the sequence flow `flow_id` (which now ends at it)."""
    root = _tree(files[file])
    flow = _by_id(root, flow_id)
    process = flow.getparent()
    target_id, new_flow = flow.get("targetRef"), f"f_{task_id}_done"
    flow.set("targetRef", task_id)
    task = etree.SubElement(process, _q("userTask"), id=task_id, name=name)
    etree.SubElement(task, _q("incoming")).text = flow_id
    etree.SubElement(task, _q("outgoing")).text = new_flow
    etree.SubElement(process, _q("sequenceFlow"), id=new_flow, sourceRef=task_id, targetRef=target_id)
    for incoming in _by_id(root, target_id).findall(_q("incoming")):
        if incoming.text == flow_id:
            incoming.text = new_flow
    etree.SubElement(process.xpath(".//*[@id=$id]", id=lane)[0], _q("flowNodeRef")).text = task_id
    plane = root.find(f".//{_q('BPMNPlane', DI_NS)}")
    source = plane.xpath("./*[@bpmnElement=$id]", id=flow.get("sourceRef"))[0].find(_q("Bounds", DC_NS))
    x, y = float(source.get("x")), float(source.get("y")) + float(source.get("height")) + 40
    shape = etree.SubElement(plane, _q("BPMNShape", DI_NS), id=f"{task_id}_di", bpmnElement=task_id)
    etree.SubElement(shape, _q("Bounds", DC_NS), x=str(x), y=str(y), width="100", height="80")
    edge = etree.SubElement(plane, _q("BPMNEdge", DI_NS), id=f"{new_flow}_di", bpmnElement=new_flow)
    for px, py in ((x + 100, y + 40), (x + 150, y + 40)):
        etree.SubElement(edge, WAYPOINT, x=str(px), y=str(py))
    return {**files, file: _text(root)}


def with_review_after_referral(files: dict[str, bytes]) -> dict[str, bytes]:
    """The main process with a centre task 法律审查 (legal_review) between referral and coordinated resolution."""
    return with_task_on_flow(files, "dispute_resolution.bpmn", "f_referred", "legal_review", "法律审查")


def without_dispatch(files: dict[str, bytes]) -> dict[str, bytes]:
    """The referral stage without the centre's 派单 (dispatch) task and its supervision ladder: the assessment's
    departments are asked to accept at once."""
    root = _tree(files["referral.bpmn"])
    gone = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and (e.get("id") or "").startswith(
        ("dispatch", "f_dispatch_")) and etree.QName(e).namespace == BPMN_NS} | {"f_rf_dispatched"}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.get("id") in gone or element.get("bpmnElement") in gone:
            element.getparent().remove(element)
        elif etree.QName(element).localname in ("flowNodeRef", "incoming", "outgoing") and element.text in gone:
            element.getparent().remove(element)
    _by_id(root, "f_rf_init").set("targetRef", "gw_plan")
    plan = _by_id(root, "gw_plan")
    etree.SubElement(plan, _q("incoming")).text = "f_rf_init"
    plan.insert(0, plan[-1]) if plan[0].tag != _q("extensionElements") else None
    return {**files, "referral.bpmn": _text(root)}
