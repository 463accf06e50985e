from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ParticipantsConfig(AppConfig):
    name = "participants"

    def ready(self) -> None:
        from participants.roles import ensure_district_roles

        # The roster manager and privacy officer groups exist wherever the tables do (participants/roles.py).
        post_migrate.connect(ensure_district_roles, sender=self, dispatch_uid="participants.district_roles")
