"""Incidents and the repair of a stuck case, for administrators.

incidents: cases whose last engine step failed (recorded when a timer's path fails), listed and resolved.
guard: the case's row lock, the administrator check and the reason every repair needs.
case_data, retry, move, suspension, cancel: one repair action each, one transaction each, each audited.

Import the modules themselves (`from engine.repair import retry`): the timer firing imports `incidents`, and
`retry` imports the timer firing.
"""
