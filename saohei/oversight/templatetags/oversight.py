from django import template

from saohei.oversight.funds import wan as wan_text

register = template.Library()


@register.filter
def wan(value):
    """{{ 1310000|wan }} -> 131 (万元), as officials read special funds."""
    return wan_text(value)


@register.filter
def percent(fraction):
    """0.85 -> 85"""
    if fraction is None:
        return ""
    return f"{float(fraction) * 100:.1f}".rstrip("0").rstrip(".")
