"""How a party's ID number reads to someone who may not see it in full."""
from __future__ import annotations


def mask_id_number(id_number: str | None) -> str | None:
    """The first four and last four characters kept, the rest starred: 3301**********1234."""
    if not id_number:
        return id_number
    keep = 4 if len(id_number) > 8 else max(len(id_number) // 4, 0)
    hidden = len(id_number) - 2 * keep
    return id_number[:keep] + "*" * hidden + (id_number[-keep:] if keep else "")
