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


def report_form_errors(request, form) -> None:
    """Each field's errors as a message naming the field (label：error), for forms posted
    from a page that redirects back instead of re-rendering the form."""
    from django.contrib import messages

    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
