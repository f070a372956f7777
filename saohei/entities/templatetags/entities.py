"""The "persons and organizations involved" section of clue and case pages, so that their
views need no change: entities/_mentions.html calls `mention_section` for its clue or case."""

from django import template

from saohei.entities.forms import MentionSearchForm, role_choices
from saohei.entities.lookup import mask_id, visible_mentions

register = template.Library()


@register.simple_tag(takes_context=True)
def mention_section(context, source):
    user = context["request"].user
    kind = source._meta.model_name  # "clue" or "case"
    mentions = (
        visible_mentions(user)
        .filter(**{kind: source})
        .select_related("person", "organization", "vehicle", "phone")
    )
    search = MentionSearchForm(initial={"kind": "person"})
    search.fields["role"].choices = role_choices(user)
    return {
        "kind": kind,
        "mentions": mentions,
        "search": search,
        "can_add": user.has_perm("entities.add_mention"),
        "can_add_person": user.has_perm("entities.add_person"),
        "can_remove": user.has_perm("entities.delete_mention"),
    }


@register.filter
def masked_id(value):
    return mask_id(value)
