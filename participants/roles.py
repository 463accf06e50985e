"""The district's roles over the roster, held apart from any program's team.

A program's lead, facilitator, analyst and viewer are roles in one program (programs/); they give no
permission over the district's roster. The roster's roles are Django groups of model permissions,
made by `ensure_district_roles` after every migrate and given to people in the admin:

- **Roster manager** (participants.view_student, add_student, change_student): imports the roster,
  opens a student's record, corrects it.
- **Privacy officer** (participants.view_student, change_student, delete_student, handle_data_request,
  and audit.view_auditevent): answers a family's request: sees and exports every program's words
  about a student, deletes a student, reads the district audit log.

- **District administrator** (participants.add_school, change_school, add_staffmember, change_staffmember,
  auth.add_user, auth.change_user, district.search_repository): sets the district up without the Django admin
  (district/): schools, staff members, accounts invited by e-mail, deactivating an account; and searches every
  program's notes in the district repository (district/repository.py), pseudonyms only. The first
  administrator, made on the first-run page, holds it with the roster manager's and the privacy officer's
  groups.

On a student's record and in its exports, a person without handle_data_request sees the words (notes,
their earlier versions, coded passages, theme quotes) only of the programs they lead and of the
sessions they facilitated (privacy/student_data.py). Deleting a student takes delete_student and
handle_data_request together.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

ROSTER_MANAGER = "Roster manager"
PRIVACY_OFFICER = "Privacy officer"
DISTRICT_ADMINISTRATOR = "District administrator"
# What opens the district's set-up pages (district/views.py) and the top bar's link to them.
MANAGE_SCHOOLS = "participants.change_school"
MANAGE_STAFF = "participants.change_staffmember"
MANAGE_ACCOUNTS = "auth.change_user"
HANDLE_DATA_REQUEST = "participants.handle_data_request"
SEARCH_REPOSITORY = "district.search_repository"
DELETE_STUDENT = "participants.delete_student"
DISTRICT_ROLES: dict[str, tuple[str, ...]] = {
    ROSTER_MANAGER: ("participants.view_student", "participants.add_student", "participants.change_student"),
    PRIVACY_OFFICER: ("participants.view_student", "participants.change_student", DELETE_STUDENT, HANDLE_DATA_REQUEST,
                      "audit.view_auditevent"),
    DISTRICT_ADMINISTRATOR: ("participants.add_school", MANAGE_SCHOOLS, "participants.add_staffmember", MANAGE_STAFF,
                             "auth.add_user", MANAGE_ACCOUNTS, SEARCH_REPOSITORY),
}


def sees_every_program(user) -> bool:
    """Whether the person sees and exports the words of every program on a student's record."""
    return user.has_perm(HANDLE_DATA_REQUEST)


def ensure_district_roles(*, using: str = DEFAULT_DB_ALIAS, **_signal_kwargs) -> dict[str, Group]:
    """Make the district's groups and give them their permissions; permissions an administrator added
    to a group are kept. Idempotent; connected to post_migrate in ParticipantsConfig.ready()."""
    from django.contrib.auth.management import create_permissions

    for label in sorted({name.split(".")[0] for names in DISTRICT_ROLES.values() for name in names}):
        # Whichever app's post_migrate comes first, the permissions exist before they are given.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    groups = {}
    for name, wanted in DISTRICT_ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = [Permission.objects.using(using).get(content_type__app_label=app, codename=codename)
                       for app, codename in (perm.split(".") for perm in wanted)]
        group.permissions.add(*permissions)
        groups[name] = group
    return groups


def grant_district_role(user, name: str) -> None:
    """Put the person in one of DISTRICT_ROLES (the demo and the tests; people use the admin)."""
    user.groups.add(ensure_district_roles()[name])
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
