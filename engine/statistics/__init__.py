"""Statistics (统计) and the monthly and quarterly reports (月报、季报).

One query layer (`figures.statistics`, reading `facts.gather`) computes every figure for a period and any mix of
filters; the /stats page, `GET /api/v1/statistics`, the XLSX export and the DOCX reports all read it, and every
figure's drill-down is the list of the very cases it counted. `definitions.DEFINITIONS` says how each is counted.
"""
from .definitions import DEFINITIONS
from .figures import FigureCases, Statistics, compute, figure_cases, statistics
from .filters import Filters, parse_filters, parse_request, scoped
from .periods import ReportPeriod
from .report_store import ReportView, generate, generate_due, list_reports, report_file
from .targets import Targets, current_targets, set_targets

__all__ = ["DEFINITIONS", "FigureCases", "Filters", "ReportPeriod", "ReportView", "Statistics", "Targets", "compute",
           "current_targets", "figure_cases", "generate", "generate_due", "list_reports", "parse_filters",
           "parse_request", "report_file", "scoped", "set_targets", "statistics"]
