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


def with_review_after_referral(files: dict[str, bytes]) -> dict[str, bytes]:
    """The main process with a centre task 法律审查 (legal_review) between referral and coordinated resolution."""
    root = _tree(files["dispute_resolution.bpmn"])
    process = root.find(_q("process"))
    flow = _by_id(root, "f_referred")
    flow.set("targetRef", "legal_review")
    task = etree.SubElement(process, _q("userTask"), id="legal_review", name="法律审查")
    etree.SubElement(task, _q("incoming")).text = "f_referred"
    etree.SubElement(task, _q("outgoing")).text = "f_legal_reviewed"
    etree.SubElement(process, _q("sequenceFlow"), id="f_legal_reviewed", sourceRef="legal_review",
                     targetRef="call_coordinated_resolution")
    target = _by_id(root, "call_coordinated_resolution")
    for incoming in target.findall(_q("incoming")):
        if incoming.text == "f_referred":
            incoming.text = "f_legal_reviewed"
    lane = _by_id(root, "center")
    etree.SubElement(lane, _q("flowNodeRef")).text = "legal_review"
    plane = root.find(f".//{_q('BPMNPlane', DI_NS)}")
    referral = plane.xpath("./*[@bpmnElement='call_referral']")[0].find(_q("Bounds", DC_NS))
    x, y = float(referral.get("x")), float(referral.get("y")) + 110
    shape = etree.SubElement(plane, _q("BPMNShape", DI_NS), id="legal_review_di", bpmnElement="legal_review")
    etree.SubElement(shape, _q("Bounds", DC_NS), x=str(x), y=str(y), width="100", height="80")
    edge = etree.SubElement(plane, _q("BPMNEdge", DI_NS), id="f_legal_reviewed_di", bpmnElement="f_legal_reviewed")
    for px, py in ((x + 100, y + 40), (x + 150, y + 40)):
        etree.SubElement(edge, WAYPOINT, x=str(px), y=str(py))
    return {**files, "dispute_resolution.bpmn": _text(root)}


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
