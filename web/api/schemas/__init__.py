"""Request and response schemas of the JSON API, one module per area; the OpenAPI document is generated from
them (`schema_named` finds a component's schema in whichever area defines it)."""
from . import cases, common, documents, migration, repair, statistics, studio, tokens, warnings

AREAS = (common, cases, studio, tokens, warnings, migration, documents, statistics, repair)


def schema_named(name: str) -> type:
    """The schema class `<name>Schema` of the area that defines it."""
    for area in AREAS:
        found = getattr(area, f"{name}Schema", None)
        if found is not None:
            return found
    raise LookupError(f"no API schema named {name}Schema")
