"""Chinese conventions of official documents: amounts in capital numerals (人民币捌仟元整) and dates as
2026年3月2日.

The capital form follows the rules for writing amounts on financial papers (《支付结算办法》附件一): zeros inside
a number are written once (壹仟零伍元), a zero group between 万 and 亿 is one 零, 元 is followed by 整 when there
are no 角 or 分, 角 needs no 整, and 零 stands between 元 and 分 when there are no 角."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")
LIMIT = Decimal(10) ** 16  # up to 9999万亿 — far above the 1000亿 a case's amount may hold


def _cents(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(f"不是金额：{amount!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"金额不能为负数：{amount!r}")
    if value >= LIMIT:
        raise ValueError(f"金额过大：{amount!r}")
    return value


def _group(number: int) -> str:
    """One group of four digits (0 < number < 10000), zeros inside written once, trailing zeros dropped."""
    text, zero = "", False
    for place in range(3, -1, -1):
        digit = number // 10 ** place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + _PLACES[place]
    return text


def _yuan(number: int) -> str:
    if number == 0:
        return ""
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            gap = bool(text)
            continue
        if text and (gap or value < 1000):
            text += "零"
        text += _group(value) + _GROUPS[index]
        gap = False
    return text


def rmb_upper(amount) -> str:
    """人民币 and the amount in capital numerals: 8000 → 人民币捌仟元整,
    12345.67 → 人民币壹万贰仟叁佰肆拾伍元陆角柒分."""
    value = _cents(amount)
    whole = int(value)
    cents = int((value - whole) * 100)
    jiao, fen = divmod(cents, 10)
    yuan = _yuan(whole)
    if not cents:
        return f"人民币{yuan or '零'}元整"
    text = f"{yuan}元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return "人民币" + text


def yuan_figures(amount) -> str:
    """The amount in figures as documents write it: 8,000.00元."""
    return f"{_cents(amount):,.2f}元"


def chinese_date(value: date | datetime | str | None) -> str:
    """2026年3月2日 (a datetime is taken as already local); an ISO date string is read first; None → ""."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"
