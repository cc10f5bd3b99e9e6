"""What every case starts with: the intake form's fields plus the values the engine adds to them.

The diagram checks read `ADDED_BY_ENGINE` to know which variables a condition may use from the start.
"""
from __future__ import annotations

INTAKE_FORM = "intake_registration"
DEFAULT_FLAGS = ("mass_incident_risk", "petition_risk", "criminal_risk")
ADDED_BY_ENGINE = ("flags", "case_no", "party_count", "possible_duplicates", "amount", "registered_by")


def starting_data(intake: dict, case_no: str, duplicates: list[str], registered_by: str) -> dict:
    """The workflow's first data: the intake, its risk flags filled in, and the case's own numbers."""
    data = dict(intake)
    data["flags"] = {flag: bool(intake.get("flags", {}).get(flag)) for flag in DEFAULT_FLAGS}
    data.update(case_no=case_no, party_count=len(intake["parties"]), possible_duplicates=duplicates,
                amount=intake.get("amount") or 0, registered_by=registered_by)
    return data
