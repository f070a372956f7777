from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from saohei.core.api import ScopedReadOnlyViewSet

from .filtersets import UnitFilterSet
from .models import Unit


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    jurisdiction = serializers.StringRelatedField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "jurisdiction",
            "is_active",
        ]


class UnitViewSet(ScopedReadOnlyViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    user = request.user
    return Response(
        MeSerializer(
            {
                "username": user.username,
                "full_name": user.full_name,
                "unit": str(user.unit) if user.unit else None,
                "roles": sorted(user.roles),
            }
        ).data
    )


class TokenSerializer(AuthTokenSerializer):
    """User name and password, and for an account with two-factor login the current code
    from the authenticator app (or a recovery code) in `otp`: a token must not open what the
    browser keeps behind the second factor."""

    otp = serializers.CharField(
        label=_("One-time code"),
        required=False,
        allow_blank=True,
        write_only=True,
        trim_whitespace=True,
    )

    def validate(self, attrs):
        from . import twofactor

        attrs = super().validate(attrs)
        user = attrs["user"]
        if not (twofactor.requires_two_factor(user) or twofactor.has_device(user)):
            return attrs
        if not twofactor.has_device(user):
            raise serializers.ValidationError(
                _(
                    "Your role requires two-factor login: log in once in the browser and set "
                    "up your authenticator app, then ask for a token with its code in the "
                    "otp field."
                ),
                code="otp_not_set_up",
            )
        code = attrs.get("otp") or ""
        if not code:
            raise serializers.ValidationError(
                _(
                    "This account uses two-factor login: send the six-digit code your "
                    "authenticator app shows now in the otp field."
                ),
                code="otp_required",
            )
        if twofactor.locked_by_wrong_codes(user):
            raise serializers.ValidationError(
                _(
                    "Too many wrong one-time codes: the account is locked for now. Try again "
                    "later or ask the security administrator to unlock it."
                ),
                code="otp_locked",
            )
        if not twofactor.check_code(user, code).ok:
            raise serializers.ValidationError(
                _(
                    "The one-time code is wrong or was already used: send the code your "
                    "authenticator app shows now."
                ),
                code="otp_wrong",
            )
        return attrs


class TokenView(ObtainAuthToken):
    serializer_class = TokenSerializer

    @extend_schema(request=TokenSerializer, responses={200: {"type": "object"}})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


obtain_token = TokenView.as_view()
