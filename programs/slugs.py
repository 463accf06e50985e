"""Programs' short names: the address of a program's pages and the label of its audit entries.

A short name a program gives up (a lead renames it, or the program is deleted) is retired and never
given to another program: an old link, a bookmark or a label in the audit log then cannot lead to a
program that is not the one it named. A program may take back a short name of its own, which points
nowhere else. The audit log itself is keyed by the program's id, so a rename loses none of its entries.

The signals below catch every rename and deletion, the admin's and the shell's included;
`ProgramForm.clean_slug` and the admin form refuse a retired name with SLUG_RETIRED.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.text import slugify

from programs.models import Program, RetiredSlug

SLUG_MAX_LENGTH = 80
# Words the program addresses use for pages of their own.
RESERVED_SLUGS = frozenset({"new", "edit", "team"})


def is_retired(slug: str, *, program_id: int | None) -> bool:
    """Whether `slug` was given up by a program other than `program_id` (None: a new program)."""
    retired = RetiredSlug.objects.filter(slug=slug)
    if program_id is not None:
        retired = retired.exclude(program_id=program_id)
    return retired.exists()


def is_taken(slug: str, *, program_id: int | None) -> bool:
    """Whether another program has `slug` now, or the addresses use it for a page."""
    return slug in RESERVED_SLUGS or Program.objects.filter(slug=slug).exclude(pk=program_id).exists()


def free_slug_from(name: str, *, program_id: int | None) -> str:
    """A short name made from `name` that no other program has or had: "math-voices", else
    "math-voices-2", "math-voices-3"... Empty when the name has no letters or digits."""
    base = slugify(name)[:SLUG_MAX_LENGTH]
    if not base:
        return ""
    candidate, n = base, 1
    while is_taken(candidate, program_id=program_id) or is_retired(candidate, program_id=program_id):
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate


def retire_slug(*, slug: str, program_id: int | None) -> RetiredSlug:
    retired, _ = RetiredSlug.objects.update_or_create(slug=slug, defaults={"program_id": program_id})
    return retired


def note_rename(*, program: Program, old_slug: str) -> None:
    """The program's old short name is retired; the one it has now, if it was its own old one, is in use again."""
    retire_slug(slug=old_slug, program_id=program.pk)
    RetiredSlug.objects.filter(slug=program.slug, program_id=program.pk).delete()


def _remember_slug(sender, instance: Program, **kwargs) -> None:
    instance._slug_before = (Program.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
                             if instance.pk else None)


def _retire_changed_slug(sender, instance: Program, **kwargs) -> None:
    before = instance.__dict__.pop("_slug_before", None)
    if before and before != instance.slug:
        note_rename(program=instance, old_slug=before)


def _retire_deleted_slug(sender, instance: Program, **kwargs) -> None:
    retire_slug(slug=instance.slug, program_id=instance.pk)


def connect() -> None:
    """Called from ProgramsConfig.ready()."""
    pre_save.connect(_remember_slug, sender=Program, dispatch_uid="programs.slugs.remember")
    post_save.connect(_retire_changed_slug, sender=Program, dispatch_uid="programs.slugs.rename")
    post_delete.connect(_retire_deleted_slug, sender=Program, dispatch_uid="programs.slugs.delete")
