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
