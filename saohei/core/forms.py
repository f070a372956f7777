from django import forms

from .models import SecurityPolicy


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = [
            "password_min_length",
            "password_classes",
            "failure_limit",
            "lockout_minutes",
            "session_idle_minutes",
        ]


class BootstrapMixin:
    """Gives each widget the Bootstrap class for its kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = getattr(widget, "input_type", "")
            if kind == "checkbox":
                css = "form-check-input"
            elif kind == "select" or widget.__class__.__name__.endswith("Select"):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
