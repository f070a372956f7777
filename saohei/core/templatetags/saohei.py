from django import template

from saohei.core import dates

register = template.Library()


@register.filter
def cn_date(value):
    """{{ clue.received_on|cn_date }} -> 2019年6月30日"""
    return dates.cn_date(value)


@register.filter
def cn_datetime(value):
    return dates.cn_datetime(value)


@register.filter
def yuan(value):
    """{{ 700000|yuan }} -> 700,000元（70万元）: officials read large sums in 万元."""
    return dates.yuan(value)
