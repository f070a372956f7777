"""Dates as Chinese documents write them: 2019年6月30日."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{cn_date(value)} {value:%H:%M}"


def yuan(value) -> str:
    """An amount in yuan as officials write it: 700,000元（70万元）; 3,500元 below 10,000."""
    from decimal import Decimal

    if value is None or value == "":
        return ""
    amount = Decimal(value)
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    if abs(amount) >= 10000:
        wan = f"{amount / 10000:,.4f}".rstrip("0").rstrip(".")
        return f"{text}元（{wan}万元）"
    return f"{text}元"
