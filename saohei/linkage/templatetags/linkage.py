"""The "linked clues and cases" section of clue and case pages, so that their views need no
change: linkage/_links.html calls `link_section` for its clue or case."""

from django import template

from saohei.linkage.models import LinkStatus, LinkSuggestion, SeriesMember, item_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def link_section(context, item):
    user = context["request"].user
    if not user.has_perm("linkage.view_linksuggestion"):
        return {"shown": False}
    kind = item_kind(item)
    member = SeriesMember.objects.filter(**{kind: item}).select_related("series").first()
    members = []
    if member is not None:
        members = [
            m.item
            for m in SeriesMember.objects.visible_to(user)
            .filter(series_id=member.series_id)
            .select_related("clue", "case")
            .order_by("id")
            if m.pk != member.pk
        ]
    suggestions = (
        LinkSuggestion.objects.visible_to(user)
        .involving(item)
        .filter(status=LinkStatus.OPEN)
        .select_related("a_clue", "a_case", "b_clue", "b_case")
        .order_by("-score", "-id")[:20]
    )
    rows = [(s, s.other(item)) for s in suggestions]
    return {
        "shown": True,
        "series": member.series if member else None,
        "members": members,
        "suggestions": rows,
        "can_decide": user.has_perm("linkage.decide_link"),
        "next": context["request"].get_full_path(),
    }


@register.filter
def item_url(item):
    from django.urls import reverse

    name = "case_detail" if item_kind(item) == "case" else "clue_detail"
    return reverse(name, args=[item.number])


@register.filter
def item_kind_label(item):
    from django.utils.translation import gettext as _

    return _("case") if item_kind(item) == "case" else _("clue")


@register.filter
def pair(first, second):
    return [first, second]
