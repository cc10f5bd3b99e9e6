"""The last check: SpiffWorkflow itself builds the specs, so nothing it would refuse at deploy slips past.

Its messages are in English and name library internals; the ones a designer meets are told in Chinese.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from .problems import Findings

_EXPLAINED = (
    (r"multiinstance task must specify (a|exactly one of) cardinality or (a )?loop input",
     "多实例任务必须指定实例数（loopCardinality）或输入集合（loopDataInputRef）二者之一"),
    (r"loopMaximum or loopCondition", "循环任务必须设置最大次数（loopMaximum）或循环条件（loopCondition）"),
    (r"No start event found", "流程没有开始事件"),
    (r"Data Store .* has no implementation", "数据存储（dataStore）不受支持：请改用案件数据"),
    (r"Duplicate process ID", "同一个流程 id 出现了两次"),
    (r"Multiple outgoing flows are not supported", "该类型的任务不能有多条出口顺序流：请在任务后加一个网关"),
    (r"No DMN Diagram available with id \"?(?P<id>[^\",]*)",
     "业务规则任务引用的决策 “{id}” 不存在：这些文件中没有 id 为它的决策（decision）"),
    (r"does not define a process|process.*not found|No .*process", "调用的流程不存在"),
    (r"Unsupported|not supported", "该元素或写法不受流程引擎支持"),
)


def explain(message: str) -> str:
    for pattern, text in _EXPLAINED:
        found = re.search(pattern, message, re.IGNORECASE)
        if found:
            return text.format(**found.groupdict())
    return "流程引擎无法读取该元素（请检查它的设置）"


def check_engine_parse(texts: Mapping[str, str], process_ids: list[str], findings: Findings) -> None:
    """Build every process's spec as deploy will; report what SpiffWorkflow refuses, on its element."""
    parser = SpiffBpmnParser()
    try:
        for name, text in texts.items():
            root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
            if etree.QName(root).localname == "definitions" and "BPMN" in (etree.QName(root).namespace or ""):
                parser.add_bpmn_xml(root, filename=name)
            else:
                parser.add_dmn_xml(root, filename=name)
        executable = set(parser.get_process_ids())
        for pid in process_ids:
            if pid not in executable:
                findings.add("process-not-executable", f"流程 “{pid}” 标为不可执行（isExecutable=\"false\"），"
                             "不会运行；要运行它，请把它设为可执行", None, element_id=pid)
                continue
            parser.get_spec(pid)
            parser.get_subprocess_specs(pid)
    except ValidationException as exc:
        file, line = _where(texts, exc.id or None)
        findings.add("engine-refused", explain(str(exc)), exc.file_name or file, element_id=exc.id or None,
                     line=exc.line_number or line)
    except Exception:  # whatever else the library raises while reading: a refusal in Chinese, never its text
        findings.add("engine-refused", "流程引擎无法读取这些文件：请检查各元素的设置是否完整", None)


def _where(texts: Mapping[str, str], element_id: str | None) -> tuple[str | None, int | None]:
    """The file and line of the element with this id (the library's errors often leave both out)."""
    if not element_id:
        return None, None
    for name, text in texts.items():
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        found = root.xpath("//*[@id=$id]", id=element_id)
        if found:
            return name, found[0].sourceline
    return None, None
