/* Chinese for the texts bpmn-js and dmn-js show themselves (palette, context pad, change-element menu,
 * decision table headers), handed to both as their `translate` service when the page is in Chinese. */
(function () {
  "use strict";

  var ZH = {
    // palette
    "Activate hand tool": "抓手工具", "Activate lasso tool": "套索选择", "Activate create/remove space tool": "增减空间",
    "Activate global connect tool": "连线工具", "Create start event": "开始事件", "Create intermediate/boundary event":
      "中间/边界事件", "Create end event": "结束事件", "Create gateway": "网关", "Create task": "任务",
    "Create data object reference": "数据对象", "Create data store reference": "数据存储",
    "Create expanded sub-process": "展开的子流程", "Create pool/participant": "池（参与者）", "Create group": "分组",
    // context pad
    "Append end event": "追加结束事件", "Append gateway": "追加网关", "Append task": "追加任务",
    "Append intermediate/boundary event": "追加中间事件", "Append receive task": "追加接收任务",
    "Append message intermediate catch event": "追加消息捕获事件", "Append timer intermediate catch event":
      "追加定时器事件", "Append conditional intermediate catch event": "追加条件事件",
    "Append signal intermediate catch event": "追加信号捕获事件", "Append compensation activity": "追加补偿活动",
    "Add text annotation": "添加注释", "Change element": "更改元素类型", "Delete": "删除",
    "Connect to other element": "连接到其他元素", "Connect using association": "用关联连接",
    "Connect using data input association": "用数据输入关联连接", "Add lane above": "在上方添加泳道",
    "Add lane below": "在下方添加泳道", "Divide into two lanes": "分成两条泳道", "Divide into three lanes": "分成三条泳道",
    "Toggle non-interrupting": "切换为非中断",
    // change-element menu
    "Task": "任务", "User task": "人工任务", "Service task": "服务任务", "Send task": "发送任务",
    "Receive task": "接收任务", "Manual task": "手工任务", "Business rule task": "业务规则任务（决策表）",
    "Script task": "脚本任务", "Call activity": "调用活动（子流程图）", "Sub-process": "子流程",
    "Sub-process (collapsed)": "子流程（折叠）", "Sub-process (expanded)": "子流程（展开）",
    "Event sub-process": "事件子流程", "Transaction": "事务", "Start event": "开始事件",
    "Intermediate throw event": "中间抛出事件", "End event": "结束事件", "Message start event": "消息开始事件",
    "Timer start event": "定时开始事件", "Conditional start event": "条件开始事件", "Signal start event": "信号开始事件",
    "Error start event": "错误开始事件", "Escalation start event": "升级开始事件",
    "Compensation start event": "补偿开始事件", "Message start event (non-interrupting)": "消息开始事件（非中断）",
    "Timer start event (non-interrupting)": "定时开始事件（非中断）",
    "Conditional start event (non-interrupting)": "条件开始事件（非中断）",
    "Signal start event (non-interrupting)": "信号开始事件（非中断）",
    "Escalation start event (non-interrupting)": "升级开始事件（非中断）",
    "Message intermediate catch event": "消息捕获事件", "Message intermediate throw event": "消息抛出事件",
    "Timer intermediate catch event": "定时器事件", "Escalation intermediate throw event": "升级抛出事件",
    "Conditional intermediate catch event": "条件捕获事件", "Link intermediate catch event": "链接捕获事件",
    "Link intermediate throw event": "链接抛出事件", "Compensation intermediate throw event": "补偿抛出事件",
    "Signal intermediate catch event": "信号捕获事件", "Signal intermediate throw event": "信号抛出事件",
    "Message end event": "消息结束事件", "Escalation end event": "升级结束事件", "Error end event": "错误结束事件",
    "Cancel end event": "取消结束事件", "Compensation end event": "补偿结束事件", "Signal end event": "信号结束事件",
    "Terminate end event": "终止结束事件", "Message boundary event": "消息边界事件",
    "Timer boundary event": "定时边界事件", "Escalation boundary event": "升级边界事件",
    "Conditional boundary event": "条件边界事件", "Error boundary event": "错误边界事件",
    "Cancel boundary event": "取消边界事件", "Signal boundary event": "信号边界事件",
    "Compensation boundary event": "补偿边界事件", "Message boundary event (non-interrupting)": "消息边界事件（非中断）",
    "Timer boundary event (non-interrupting)": "定时边界事件（非中断）",
    "Escalation boundary event (non-interrupting)": "升级边界事件（非中断）",
    "Conditional boundary event (non-interrupting)": "条件边界事件（非中断）",
    "Signal boundary event (non-interrupting)": "信号边界事件（非中断）",
    "Exclusive gateway": "排他网关", "Parallel gateway": "并行网关", "Inclusive gateway": "包容网关",
    "Complex gateway": "复杂网关", "Event-based gateway": "事件网关", "Sequence flow": "顺序流",
    "Default flow": "默认流", "Conditional flow": "条件流", "Data object reference": "数据对象",
    "Data store reference": "数据存储", "Expanded pool/participant": "展开的池",
    "Parallel multi-instance": "并行多实例", "Sequential multi-instance": "顺序多实例", "Loop": "循环",
    // dmn-js
    "When": "当", "And": "且", "Then": "则", "Hit policy": "命中策略", "Hit policy:": "命中策略：",
    "View DRD": "查看决策需求图", "Annotation": "备注", "Annotations": "备注", "Input": "输入", "Output": "输出",
    "Add rule": "添加规则", "Add rule above": "在上方添加规则", "Add rule below": "在下方添加规则",
    "Remove rule": "删除规则", "Copy rule": "复制规则", "Cut rule": "剪切规则", "Paste rule above": "粘贴到上方",
    "Paste rule below": "粘贴到下方", "Add input": "添加输入", "Add output": "添加输出",
    "Add input column left": "在左侧添加输入列", "Add input column right": "在右侧添加输入列",
    "Add output column left": "在左侧添加输出列", "Add output column right": "在右侧添加输出列",
    "Remove input column": "删除输入列", "Remove output column": "删除输出列", "Input label": "输入标签",
    "Input label: ": "输入标签：", "Input expression": "输入表达式", "Input expression: ": "输入表达式：",
    "Input type": "输入类型", "Input values": "输入取值", "Output label": "输出标签", "Output label: ": "输出标签：",
    "Output name": "输出变量名", "Output name: ": "输出变量名：", "Output type": "输出类型", "Output values": "输出取值",
    "Add cell description": "添加单元格说明", "Remove cell description": "删除单元格说明", "Edit": "编辑",
    "Expression language": "表达式语言"
  };

  function translate(template, replacements) {
    replacements = replacements || {};
    var text = Object.prototype.hasOwnProperty.call(ZH, template) ? ZH[template] : template;
    return text.replace(/{([^}]+)}/g, function (_, key) {
      return replacements[key] !== undefined ? replacements[key] : "{" + key + "}";
    });
  }

  window.YizhanStudio = window.YizhanStudio || {};
  window.YizhanStudio.translateModules = document.documentElement.lang === "zh-CN"
    ? [{ translate: ["value", translate] }] : [];
})();
