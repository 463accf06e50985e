"""Setting a district up without the Django admin: the first run, schools, staff members, accounts.

**The first run.** The first-run page is open while the database holds no district and no account at all
(a fresh installation). It names the district, makes the first administrator (who holds the district
administrator's, roster manager's and privacy officer's groups and may create programs) and the first
school, all in one transaction. Once a district or any account exists it answers 404, so nobody can
take over an installation in use; an installation that had accounts before this page existed names
its district on the district page instead (`save_district`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from participants.models import THE_DISTRICT_PK, District, School, StaffMember
from participants.roles import (
    DISTRICT_ADMINISTRATOR,
    DISTRICT_ROLES,
    PRIVACY_OFFICER,
    ROSTER_MANAGER,
    ensure_district_roles,
)

FIRST_RUN_DONE = _("This installation is already set up.")
ROLE_NOT_YOURS = _("You can give only the district roles you hold yourself.")
FIRST_ADMINISTRATOR_GROUPS = (DISTRICT_ADMINISTRATOR, ROSTER_MANAGER, PRIVACY_OFFICER)


class FirstRunClosed(Exception):
    pass


def current_district() -> District | None:
    return District.current()


def first_run_open() -> bool:
    return not District.objects.exists() and not get_user_model().objects.exists()


def complete_first_run(*, district_name: str, username: str, email: str, password: str, school_name: str,
                       school_code: str, lowest_grade: int, highest_grade: int):
    """Name the district, make its first administrator and first school; raise FirstRunClosed once done."""
    try:
        with transaction.atomic():
            if not first_run_open():
                raise FirstRunClosed(FIRST_RUN_DONE)
            District.objects.create(pk=THE_DISTRICT_PK, name=district_name.strip())
            user = get_user_model().objects.create_user(username=username, email=email, password=password)
            groups = ensure_district_roles()
            user.groups.add(*(groups[name] for name in FIRST_ADMINISTRATOR_GROUPS))
            user.user_permissions.add(Permission.objects.get(content_type__app_label="programs", codename="add_program"))
            create_school(name=school_name, code=school_code, lowest_grade=lowest_grade, highest_grade=highest_grade)
    except IntegrityError:  # another first run won the race
        raise FirstRunClosed(FIRST_RUN_DONE) from None
    return user


def save_district(*, name: str, default_language: str) -> District:
    district, _created = District.objects.update_or_create(
        pk=THE_DISTRICT_PK, defaults={"name": name.strip(), "default_language": default_language})
    return district


def create_school(*, name: str, code: str, lowest_grade: int, highest_grade: int) -> School:
    school = School(name=name.strip(), code=code.strip(), lowest_grade=lowest_grade, highest_grade=highest_grade)
    school.full_clean()
    school.save()
    return school


def update_school(*, school: School, name: str, code: str, lowest_grade: int, highest_grade: int) -> School:
    school.name, school.code = name.strip(), code.strip()
    school.lowest_grade, school.highest_grade = lowest_grade, highest_grade
    school.full_clean()
    school.save()
    return school


def create_staff_member(*, full_name: str, email: str, staff_id: str, schools, is_outside_facilitator: bool,
                        user=None) -> StaffMember:
    staff = StaffMember.objects.create(full_name=full_name.strip(), email=email, staff_id=staff_id.strip() or None,
                                       is_outside_facilitator=is_outside_facilitator, user=user)
    staff.schools.set(schools)
    return staff


def update_staff_member(*, staff: StaffMember, full_name: str, email: str, staff_id: str, schools,
                        is_outside_facilitator: bool) -> StaffMember:
    staff.full_name, staff.email = full_name.strip(), email.strip()
    staff.staff_id = staff_id.strip() or None
    staff.is_outside_facilitator = is_outside_facilitator
    staff.full_clean(exclude=["user"])
    staff.save()
    staff.schools.set(schools)
    return staff


def staff_record_for_account(*, user, full_name: str) -> StaffMember:
    """The staff record an invited account belongs to: the one already listed under its e-mail address and
    not yet linked to an account, else a new one, so the person can be put on teams and scheduled."""
    existing = getattr(user, "staff_member", None) if user.pk else None
    if existing is not None:
        return existing
    staff = (StaffMember.objects.filter(email__iexact=user.email, user__isnull=True).order_by("pk").first()
             if user.email else None)
    if staff is None:
        return StaffMember.objects.create(full_name=full_name.strip() or user.get_username(), email=user.email,
                                          user=user)
    staff.user = user
    staff.save(update_fields=["user"])
    return staff


def roles_they_may_give(user) -> list[str]:
    """The district roles a person may give an invited account: those they hold themselves (all of them for
    a superuser), so that no administrator reaches, through a second account, what they were not given."""
    if user.is_superuser:
        return list(DISTRICT_ROLES)
    held = set(user.groups.values_list("name", flat=True))
    return [name for name in DISTRICT_ROLES if name in held]


def give_district_roles(*, user, roles, given_by) -> None:
    allowed = set(roles_they_may_give(given_by))
    if not set(roles) <= allowed:
        raise PermissionDenied(ROLE_NOT_YOURS)
    groups = ensure_district_roles()
    user.groups.add(*(groups[name] for name in roles))
