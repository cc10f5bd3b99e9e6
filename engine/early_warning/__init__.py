"""Early warning (预警): what a centre wants to hear of before it becomes a crisis.

Four kinds, each raised once and notified once to the centre's supervisors:
  repeat       the same party (by ID number or phone) or the same place registers again within the window
               (`rules.repeat_days`, 180 days by default); later cases join the warning, unnotified
  surge        a dispute type, or a township, registers in the last 7 days at least `surge_minimum` cases and
               at least `surge_factor` times its usual week — the mean of the 12 weeks before those 7 days
               (a usual week of less than one case counts as one)
  red_unstable a red-risk case still open that no stabilisation report has called stable; it ends when one
               does, when the case is no longer red, or when the case closes
  enforcement  a new case whose party (by ID number or phone) already had a case that ended in an
               application for enforcement

Registrations raise the first, second and fourth kind in their own transaction; every command's projection
refresh keeps the third in step with its case. The board shows them (engine/early_warning/listing.py).
"""
from .detect import on_refresh, on_registration
from .listing import WarningView, recent_warnings, warning_detail
from .rules import WarningRules, current_rules, rules_of, save_rules, set_rules

__all__ = ["WarningRules", "WarningView", "current_rules", "on_refresh", "on_registration", "recent_warnings",
           "rules_of", "save_rules", "set_rules", "warning_detail"]
