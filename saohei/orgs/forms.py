from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm, UserCreationForm

from .models import User
from .roles import check_role_combination


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class RoleCombinationMixin:
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        superuser = cleaned.get("is_superuser")
        if groups is not None:
            roles = {g.name for g in groups}
            if superuser:
                roles.add("sysadmin")
            try:
                check_role_combination(roles)
            except forms.ValidationError as exc:
                self.add_error("groups", exc)
        return cleaned


class AccountCreationForm(RoleCombinationMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "unit", "title", "phone")


class AccountChangeForm(RoleCombinationMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
