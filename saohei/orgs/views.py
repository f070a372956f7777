from django.core.paginator import Paginator
from django.shortcuts import render

from saohei.core.decorators import require_perm

from .filtersets import UnitFilterSet
from .services import member_units


@require_perm("orgs.view_unit")
def unit_list(request):
    filterset = UnitFilterSet(request.GET, queryset=member_units(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/unit_list.html", {"filter": filterset, "page": page})
