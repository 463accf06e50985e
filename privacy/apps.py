from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Student data rights and retention")

    def ready(self) -> None:
        # programs/ sits below us and cannot import what a purge would remove; it asks through a signal.
        from privacy.retention import answer_retention_preview
        from programs.models import retention_preview

        retention_preview.connect(answer_retention_preview, dispatch_uid="privacy.answer_retention_preview")
