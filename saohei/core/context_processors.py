from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = items_for(user)
    # Counts only where an item has them: the to-do badge costs the to-do queries.
    counts = {item.url_name: item.count(user) for item in items if item.count is not None}
    return {"nav_items": items, "nav_counts": counts}
