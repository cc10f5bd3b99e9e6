"""Checks the form schemas ask for beyond standard JSON Schema: the resident ID number's check digit
(format `cn-resident-id`), `x-not-in` (one field's value may not be among another field's choices),
and `readOnly` enforced: a value shown for reference, decided elsewhere, is refused when sent."""
from __future__ import annotations

import re
from collections import deque
from datetime import date

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError

# GB 11643-1999: the 18th character checks the first 17 digits.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9Xx]$")


class WrongIdNumber(ValueError):
    """An ID number that is not a valid 18-digit resident ID; its message says what is wrong."""


def check_digit(first17: str) -> str:
    """The check character of an ID number's first 17 digits."""
    return _CHECK_CHARS[sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS)) % 11]


def check_resident_id(value: object) -> bool:
    """True for a valid resident ID number; raises WrongIdNumber saying what is wrong otherwise."""
    if not isinstance(value, str):
        return True
    if not _SHAPE.match(value):
        raise WrongIdNumber("应为18位居民身份证号码（前17位为数字，末位为数字或X）")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise WrongIdNumber("出生日期（第7至14位）不是有效日期") from None
    if check_digit(value[:17]) != value[17].upper():
        raise WrongIdNumber("校验位不正确，请核对18位号码是否抄错")
    return True


def format_checker() -> FormatChecker:
    """The standard formats plus `cn-resident-id`."""
    checker = FormatChecker()
    checker.checks("cn-resident-id", raises=WrongIdNumber)(check_resident_id)
    return checker


def not_in(validator, pairs, instance, schema):
    """`"x-not-in": {"lead_department": "cooperating_departments"}`: the first may not be among the second."""
    if not validator.is_type(instance, "object"):
        return
    for single, many in pairs.items():
        chosen = instance.get(many)
        if single in instance and isinstance(chosen, list) and instance[single] in chosen:
            yield ValidationError("不能包含另一栏已选的项", path=deque([many]),
                                  validator="x-not-in", validator_value=pairs, instance=instance, schema=schema)


def read_only(validator, value, instance, schema):
    """`"readOnly": true`: the form shows the value (decided by an earlier step); a submission may not set it."""
    if value:
        yield ValidationError("只读，不能修改", validator="readOnly", validator_value=value, instance=instance,
                              schema=schema)
