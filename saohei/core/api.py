"""The API's shared viewset base (STYLE habit 2): every query starts from visible_to()."""

from rest_framework import viewsets


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
