"""A registered place read for early warning: the township (乡镇/街道) it lies in, and a form of it that two
clerks typing the same address differently still agree on."""
from __future__ import annotations

import re
import unicodedata

_TOWNSHIP = re.compile(r"^(?:.{0,12}?[省市县区旗])?(?P<township>[^省市县区旗]{1,12}?(?:街道|街道办事处|镇|乡|苏木))")
_NOISE = re.compile(r"[\s,，.。、;；:：()（）\[\]【】\-—_#号]+")


def township_of(place: str | None) -> str | None:
    """“城关镇幸福村3组” -> “城关镇”; “和平县东城街道和平社区” -> “东城街道”; None if no township is named."""
    if not place:
        return None
    match = _TOWNSHIP.match(unicodedata.normalize("NFKC", place).strip())
    return match.group("township").replace("街道办事处", "街道") if match else None


def same_place_key(place: str | None) -> str | None:
    """The place without spaces, punctuation and full-width forms; None when too short to mean an address."""
    if not place:
        return None
    key = _NOISE.sub("", unicodedata.normalize("NFKC", place)).lower()
    return key if len(key) >= 6 else None
