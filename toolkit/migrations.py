"""Helpers for migrations that move a model from one app to another without moving its table."""

from __future__ import annotations


def move_content_types(apps, *, old_app: str, new_app: str, models: tuple[str, ...]) -> None:
    """Give the moved models' content types to the new app, so that permissions granted on them
    (e.g. "add_program") and admin history stay attached. Django would otherwise make new, empty
    content types for the new app and leave the granted permissions on the old ones."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if ContentType.objects.filter(app_label=new_app, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
