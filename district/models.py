from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """The district this installation serves: one row, made on the first-run page (district/setup.py)."""

    name = models.CharField(max_length=200)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Pages open in this language until a person chooses their own; family letters and pages "
                    "use each family's home language when the roster records it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class AccountLanguage(models.Model):
    """The language a person chose for themselves (district/language.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_choice")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
