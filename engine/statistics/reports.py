"""The monthly and quarterly reports (月报、季报) as DOCX: headline figures against the previous period, by
department, by type, the red cases and how they stand, overdue items and supervision notices, fulfilment.
Every figure is read from the statistics query layer (figures.compute), never counted here."""
from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime

from docx import Document
from docx.shared import Pt, RGBColor

from ..clock import local
from ..runtime import Runtime
from . import attention
from .choices import choices
from .definitions import DEFINITIONS
from .figures import Statistics, compute, rate
from .filters import Filters
from .periods import ReportPeriod

RED = RGBColor(0xC0, 0x00, 0x00)
# The headline rows: (label, how to read it from the statistics, whether it is a percentage).
HEADLINES = (
    ("登记案件", lambda s: s.counts["registered"], False),
    ("受理", lambda s: s.counts["accepted"], False),
    ("不予受理", lambda s: s.counts["not_accepted"], False),
    ("调解结案", lambda s: s.counts["mediated_closed"], False),
    ("调解成功", lambda s: s.counts["closed_success"], False),
    ("引导分流（诉讼、仲裁、复议）", lambda s: s.counts["referred"], False),
    ("撤回", lambda s: s.counts["withdrawn"], False),
    ("调解成功率", lambda s: s.success_rate, True),
    ("签订调解协议", lambda s: s.counts["agreements"], False),
    ("申请司法确认", lambda s: s.counts["confirmation_applied"], False),
    ("司法确认", lambda s: s.counts["confirmation_granted"], False),
    ("应履行协议", lambda s: s.counts["performance_due"], False),
    ("自动履行", lambda s: s.counts["fulfilled"], False),
    ("履行率", lambda s: s.fulfilment_rate, True),
    ("涉及金额（元）", lambda s: s.amount_total, False),
)
STATUS = {"open": "办理中", "closed": "已结案"}


@dataclass(frozen=True)
class ReportContent:
    """What a report says, kept apart from its layout so tests can compare it with the API."""

    title: str
    current: Statistics
    previous: Statistics
    by_department: list[tuple[str, Statistics]]
    by_type: list[tuple[str, Statistics]]
    red_cases: list[attention.RedCase]
    notices: list[attention.NoticeRow]
    overdue_open: int
    department_names: dict[str, str]


def title_of(which: ReportPeriod) -> str:
    kind = "月报" if which.kind == "monthly" else "季度分析报告"
    return f"矛盾纠纷调处工作{kind}（{which.label}）"


def content_of(rt: Runtime, which: ReportPeriod, filters: Filters | None = None) -> ReportContent:
    """Every figure the report prints, from the query layer."""
    filters = filters or Filters()
    current = compute(rt, which.period, filters, trend=False)
    previous = compute(rt, which.previous().period, filters, trend=False)
    offered = choices(rt)
    _, end = which.period.bounds()
    with rt.unit_of_work(write=False) as session:
        departments, types = attention.active_groups(session, which.period, filters)
        reds = attention.red_cases(session, which.period, filters)
        notices = attention.notices(session, which.period, filters)
        overdue = attention.overdue_open(session, min(end, rt.clock.now()), filters)
    by_department = [(name, compute(rt, which.period, replace(filters, department=key), trend=False))
                     for key, name in offered.departments.items() if key in departments]
    by_type = [(name, compute(rt, which.period, replace(filters, dispute_type=key), trend=False))
               for key, name in offered.dispute_types.items() if key in types]
    return ReportContent(title_of(which), current, previous, by_department, by_type, reds, notices, overdue,
                         offered.departments)


def shown(value, percent: bool) -> str:
    """A figure as printed: 98.94%, 1,234, or — when there is nothing to divide by."""
    if value is None:
        return "—"
    if percent:
        return f"{value:.2f}%"
    return f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"


def change(now, before, percent: bool) -> str:
    if now is None or before is None:
        return "—"
    delta = now - before
    unit = "个百分点" if percent else ""
    text = f"{abs(delta):.2f}" if percent or isinstance(delta, float) and not float(delta).is_integer() \
        else f"{abs(int(delta)):,}"
    return "持平" if not delta else f"{'增加' if delta > 0 else '减少'} {text}{unit}"


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    return table


def _mark_below(cell) -> None:
    for run in cell.paragraphs[0].runs:
        run.font.color.rgb = RED
        run.bold = True


def _headlines(document, content: ReportContent) -> None:
    now, before = content.current, content.previous
    rows = [[label, shown(read(now), pct), shown(read(before), pct), change(read(now), read(before), pct)]
            for label, read, pct in HEADLINES]
    table = _table(document, ["指标", "本期", "上期", "较上期"], rows)
    targets = {"调解成功率": (now.targets.success, now.success_below_target),
               "履行率": (now.targets.fulfilment, now.fulfilment_below_target)}
    for index, (label, _, _) in enumerate(HEADLINES, start=1):
        if label in targets and targets[label][1]:
            _mark_below(table.rows[index].cells[1])
    document.add_paragraph(f"考核目标：调解成功率不低于 {now.targets.success:g}%，"
                           f"履行率不低于 {now.targets.fulfilment:g}%。")


def _breakdown(document, rows: list[tuple[str, Statistics]], what: str) -> None:
    if not rows:
        document.add_paragraph(f"本期无按{what}统计的案件。")
        return
    _table(document, [what, "登记", "调解结案", "调解成功", "调解成功率", "签订协议", "按期办结率"],
           [[name, shown(s.counts["registered"], False), shown(s.counts["mediated_closed"], False),
             shown(s.counts["closed_success"], False), shown(s.success_rate, True),
             shown(s.counts["agreements"], False),
             shown(_on_time(s), True)] for name, s in rows])


def _on_time(s: Statistics) -> float | None:
    finished = sum(r.finished for r in s.departments)
    return rate(sum(r.on_time for r in s.departments), finished)


def render(content: ReportContent, generated_at: datetime, generated_by: str) -> bytes:
    """The report as a DOCX document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(11)
    document.add_heading(content.title, level=0)
    period = content.current.period
    document.add_paragraph(f"统计期间：{period.start.year}年{period.start.month}月{period.start.day}日至"
                           f"{period.end.year}年{period.end.month}月{period.end.day}日。生成时间："
                           f"{local(generated_at):%Y年%m月%d日 %H:%M}（{generated_by}）。")
    document.add_heading("一、主要数据", level=1)
    _headlines(document, content)
    document.add_heading("二、分部门情况", level=1)
    _breakdown(document, content.by_department, "部门")
    document.add_heading("三、分类型情况", level=1)
    _breakdown(document, content.by_type, "纠纷类型")
    document.add_heading("四、红色风险案件", level=1)
    if content.red_cases:
        _table(document, ["案件编号", "纠纷概要", "状态", "当前环节"],
               [[c.case_no, c.title, STATUS.get(c.status, c.status), c.stage_name] for c in content.red_cases])
    else:
        document.add_paragraph("本期无红色风险案件。")
    document.add_heading("五、超期事项与督办", level=1)
    late = sum(r.finished - r.on_time for r in content.current.departments)
    document.add_paragraph(f"本期办结的有期限事项 {sum(r.finished for r in content.current.departments)} 件，"
                           f"其中超期 {late} 件，按期办结率 {shown(_on_time(content.current), True)}；"
                           f"截至期末仍超期未办 {content.overdue_open} 件；发出督办件 {len(content.notices)} 件。")
    if content.notices:
        _table(document, ["督办件编号", "案件编号", "事项", "部门", "状态"],
               [[n.notice_no, n.case_no, n.title, content.department_names.get(n.department_id, n.department_id),
                 "已回复" if n.state == "completed" else "办理中"]
                for n in content.notices])
    document.add_heading("六、协议履行情况", level=1)
    s = content.current
    document.add_paragraph(f"履行期限届满的调解协议 {s.counts['performance_due']} 件，"
                           f"自动履行 {s.counts['fulfilled']} 件，"
                           f"申请强制执行 {s.counts['enforced']} 件，履行率 {shown(s.fulfilment_rate, True)}。")
    document.add_heading("附：统计口径", level=1)
    for key in ("success_rate", "mediated_closed", "closed_success", "fulfilment_rate", "performance_due", "stage"):
        document.add_paragraph(DEFINITIONS[key], style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
