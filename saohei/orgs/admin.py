"""Account and unit management for the system administrator (Django's admin, in Chinese)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from saohei.core.fields import EncryptedTextField

from .choices import Role
from .forms import AccountChangeForm, AccountCreationForm
from .models import Jurisdiction, Unit, User


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "jurisdiction", "parent", "is_active")
    list_filter = ("kind", "jurisdiction", "is_active")
    search_fields = ("name", "short_name")


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("username", "full_name", "unit", "title", "is_active", "last_login")
    list_filter = ("is_active", "groups", "unit__kind")
    search_fields = ("username", "full_name", "unit__name")
    list_select_related = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "unit", "title", "phone", "mobile", "email")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "unit",
                    "title",
                    "phone",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    formfield_overrides = {EncryptedTextField: {"widget": forms.TextInput}}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Roles by their names, not the group codes; only role groups are offered.
            kwargs["queryset"] = db_field.related_model.objects.filter(name__in=Role.values)
            kwargs["widget"] = forms.CheckboxSelectMultiple
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label = _("Roles")
            field.help_text = _(
                "The system administrator, security administrator and auditor are three "
                "different people and hold no other role."
            )
            field.label_from_instance = lambda group: Role(group.name).label
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)
