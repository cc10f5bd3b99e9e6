"""Amounts in capital numerals and dates as official documents write them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from engine.documents.amounts import chinese_date, rmb_upper, yuan_figures


@pytest.mark.parametrize(("amount", "written"), [
    (8000, "人民币捌仟元整"),
    (12345.67, "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
    (0, "人民币零元整"),
    (10, "人民币壹拾元整"),
    (105, "人民币壹佰零伍元整"),
    (1001, "人民币壹仟零壹元整"),
    (1010, "人民币壹仟零壹拾元整"),
    (10010, "人民币壹万零壹拾元整"),
    (100000, "人民币壹拾万元整"),
    (6000, "人民币陆仟元整"),
    (100000001, "人民币壹亿零壹元整"),
    (100010000, "人民币壹亿零壹万元整"),
    (230000000, "人民币贰亿叁仟万元整"),
    (1000000000000, "人民币壹万亿元整"),
    (1000.05, "人民币壹仟元零伍分"),
    (1010.5, "人民币壹仟零壹拾元伍角"),
    (20.3, "人民币贰拾元叁角"),
    (0.05, "人民币伍分"),
    (0.5, "人民币伍角"),
    (Decimal("3.14"), "人民币叁元壹角肆分"),
    ("99999.99", "人民币玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amounts_are_written_in_capital_numerals_as_on_financial_papers(amount, written):
    assert rmb_upper(amount) == written


def test_a_fraction_of_a_fen_is_rounded_half_up():
    assert rmb_upper(0.005) == "人民币壹分"
    assert rmb_upper(1.994) == "人民币壹元玖角玖分"


@pytest.mark.parametrize("bad", [-1, "abc", None, float("nan"), 10 ** 16])
def test_what_is_not_an_amount_is_refused(bad):
    with pytest.raises(ValueError):
        rmb_upper(bad)


def test_figures_carry_thousands_separators_and_two_decimals():
    assert yuan_figures(8000) == "8,000.00元"
    assert yuan_figures(12345.6) == "12,345.60元"


def test_dates_are_written_without_leading_zeros():
    assert chinese_date(date(2026, 3, 2)) == "2026年3月2日"
    assert chinese_date(datetime(2026, 12, 31, 23, 0)) == "2026年12月31日"
    assert chinese_date("2026-03-10") == "2026年3月10日"
    assert chinese_date(None) == ""
