"""Entity API: persons (ID numbers masked) and mentions, read-only, scoped like the pages."""

from rest_framework import serializers

from saohei.core.api import ScopedReadOnlyViewSet

from .lookup import mask_id, visible_mentions
from .models import Mention, Person


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "former_names",
            "nicknames",
            "id_number",
            "birth_date",
            "gender",
            "employer",
            "position",
            "is_public_official",
            "merged_into",
        ]

    def get_id_number(self, person) -> str:
        return mask_id(person.id_number)


class MentionSerializer(serializers.ModelSerializer):
    clue = serializers.SlugRelatedField(slug_field="number", read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)
    kind = serializers.SerializerMethodField()
    entity = serializers.SerializerMethodField()
    entity_id = serializers.SerializerMethodField()

    class Meta:
        model = Mention
        fields = ["id", "clue", "case", "role", "kind", "entity_id", "entity", "note"]

    def _field(self, mention) -> str:
        for name in ("person", "organization", "vehicle", "phone"):
            if getattr(mention, f"{name}_id"):
                return name
        return ""

    def get_kind(self, mention) -> str:
        return self._field(mention)

    def get_entity_id(self, mention) -> int:
        return getattr(mention, f"{self._field(mention)}_id")

    def get_entity(self, mention) -> str:
        return str(mention.entity)


class PersonViewSet(ScopedReadOnlyViewSet):
    model = Person
    serializer_class = PersonSerializer


class MentionViewSet(ScopedReadOnlyViewSet):
    model = Mention
    serializer_class = MentionSerializer

    def get_queryset(self):
        return visible_mentions(self.request.user).select_related(
            "clue", "case", "person", "organization", "vehicle", "phone"
        )
