"""The diagram a new process starts from: a pool with the centre's lane, a start and an end, laid out."""
from __future__ import annotations

from xml.sax.saxutils import quoteattr


def blank_process(key: str, name: str) -> str:
    """BPMN 2.0 with diagram interchange, so the modeler opens it with something to draw on."""
    k, n = quoteattr(key), quoteattr(name)
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="{key}_definitions" targetNamespace="http://yizhan.example/bpmn" exporter="Yizhan" exporterVersion="1.0">
  <bpmn:collaboration id="{key}_collaboration">
    <bpmn:participant id="{key}_pool" name={n} processRef={k}/>
  </bpmn:collaboration>
  <bpmn:process id={k} name={n} isExecutable="true">
    <bpmn:laneSet id="{key}_lanes">
      <bpmn:lane id="{key}_center" name="矛调中心">
        <bpmn:flowNodeRef>{key}_start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>{key}_end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="{key}_start" name="开始"><bpmn:outgoing>{key}_flow</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="{key}_end" name="结束"><bpmn:incoming>{key}_flow</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="{key}_flow" sourceRef="{key}_start" targetRef="{key}_end"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{key}_diagram">
    <bpmndi:BPMNPlane id="{key}_plane" bpmnElement="{key}_collaboration">
      <bpmndi:BPMNShape id="{key}_pool_di" bpmnElement="{key}_pool" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="700" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{key}_center_di" bpmnElement="{key}_center" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="670" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{key}_start_di" bpmnElement="{key}_start">
        <dc:Bounds x="212" y="162" width="36" height="36"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{key}_end_di" bpmnElement="{key}_end">
        <dc:Bounds x="712" y="162" width="36" height="36"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="{key}_flow_di" bpmnElement="{key}_flow">
        <di:waypoint x="248" y="180"/>
        <di:waypoint x="712" y="180"/>
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
'''


def blank_decision(key: str, name: str) -> str:
    """A decision table with one input, one output and one rule, ready to fill in."""
    k, n = quoteattr(key), quoteattr(name)
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="{key}_definitions" name={n}
    namespace="http://yizhan.example/dmn">
  <decision id={k} name={n}>
    <decisionTable id="{key}_table" hitPolicy="FIRST">
      <input id="{key}_input" label="金额">
        <inputExpression id="{key}_input_expression" typeRef="number"><text>amount</text></inputExpression>
      </input>
      <output id="{key}_output" label="结果" name="{key}_result" typeRef="string"/>
      <rule id="{key}_rule_1">
        <inputEntry id="{key}_rule_1_in"><text>-</text></inputEntry>
        <outputEntry id="{key}_rule_1_out"><text>"一般"</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>
'''
