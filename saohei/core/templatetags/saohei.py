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
