"""The one table of a program's pages and the roles that may open them.

The views' access checks (`get_program_for(..., page=...)`), the program navigation, the dashboard
checklist and the URL-walk tests all read this table, so they cannot disagree: a tab is shown to a
role exactly when its page lets that role in. Leads may open every page.

A page here is a URL name under /programs/<slug>/. Some pages narrow further inside the view (a
facilitator runs only their own sessions; only a lead changes the team or merges ideas); the table
says who may open the page at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from programs.models import Role

LEAD, FACILITATOR, ANALYST, VIEWER = Role.LEAD, Role.FACILITATOR, Role.ANALYST, Role.VIEWER
EVERYONE = frozenset(Role)
LEADS = frozenset({LEAD})
RUNS_SESSIONS = frozenset({LEAD, FACILITATOR})
CODES = frozenset({LEAD, ANALYST})
READS_FINDINGS = frozenset({LEAD, ANALYST, VIEWER})
READS_REPORTS = frozenset({LEAD, VIEWER})


def _pages(roles: frozenset[Role], *names: str) -> dict[str, frozenset[Role]]:
    return dict.fromkeys(names, roles)


PAGES: dict[str, frozenset[Role]] = {
    **_pages(EVERYONE, "program_dashboard", "program_team"),
    **_pages(LEADS, "program_edit", "audit_log"),
    # Recruitment: names of students are on every one of these pages.
    **_pages(LEADS, "program_facilitators", "program_students", "invitation_change", "consent_import",
             "community_shares", "missing_group_change"),
    # Consent letters: writing the letter, printing and e-mailing it, answers on paper.
    **_pages(LEADS, "consent_letter", "consent_letters_pdf", "consent_email", "consent_paper"),
    # Chasing consent and the consent gap: names of students and their families' answers.
    **_pages(LEADS, "consent", "consent_remind", "consent_replace"),
    # Protocol: everyone on the team may read it; leads write it; facilitators confirm they read it.
    **_pages(EVERYONE, "protocol", "bank_search", "protocol_versions", "protocol_guide"),
    **_pages(LEADS, "question_add", "question_edit", "question_delete", "question_move", "question_check",
             "bank_add", "protocol_ready"),
    **_pages(RUNS_SESSIONS, "protocol_review"),
    # Sessions: the list and a session's page are open to the team; running one is for its facilitator.
    **_pages(EVERYONE, "session_list", "session_detail", "session_action", "session_ics"),
    **_pages(LEADS, "session_new"),
    **_pages(RUNS_SESSIONS, "runner", "followup_slips", "notes_review", "note_correct", "note_resolve", "runner_notes",
             "runner_assent",
             "facilitator_ics"),
    # Importing typed notes and transcripts: whoever takes notes in the session (checked in the view too).
    **_pages(RUNS_SESSIONS, "note_import", "note_import_preview", "note_import_cancel"),
    # Analysis: coding is for analysts; findings are for anyone who reads them.
    **_pages(CODES, "codebook", "codebook_export", "codebook_qdc", "excerpts_xlsx", "excerpts_export", "workbench",
             "code_note", "uncode", "undo_coding", "suggestions", "agreement_rounds", "agreement_round",
             "proposal_decide"),
    # Code every result of a search, and undo it (analysis/bulk_coding.py).
    **_pages(CODES, "bulk_code", "bulk_undo"),
    **_pages(READS_FINDINGS, "compare", "themes", "theme_detail", "patterns", "patterns_export"),
    # A whole program as a researchers' project (.qdpx): suppression does not apply inside it, so leads only.
    **_pages(LEADS, "project_qdpx"),
    # The action plan belongs to the whole team.
    **_pages(EVERYONE, "ideas", "actions", "action_detail", "actions_csv"),
    **_pages(READS_REPORTS, "report_list", "report_download", "report_retry"),
    **_pages(LEADS, "student_summary_publishing"),
}


class UnknownPage(KeyError):
    pass


def roles_for(page: str) -> frozenset[Role]:
    try:
        return PAGES[page] | LEADS
    except KeyError:
        raise UnknownPage(f"{page!r} is not in programs.pages.PAGES: say who may open it there.") from None


def may_open(role: Role | str, page: str) -> bool:
    return Role(role) in roles_for(page)


@dataclass(frozen=True)
class Tab:
    """One entry of a navigation bar: shown when the role may open one of its pages, and then
    linking to the first of them it may open."""

    key: str
    label: str
    pages: tuple[str, ...]

    def page_for(self, role: Role | str) -> str | None:
        return next((page for page in self.pages if may_open(role, page)), None)


PROGRAM_TABS = (
    Tab("dashboard", _("Dashboard"), ("program_dashboard",)),
    Tab("facilitators", _("Facilitators"), ("program_facilitators",)),
    Tab("students", _("Students"), ("program_students",)),
    Tab("consent", _("Consent"), ("consent",)),
    Tab("protocol", _("Protocol"), ("protocol",)),
    Tab("sessions", _("Sessions"), ("session_list",)),
    Tab("analysis", _("Analysis"), ("workbench", "themes")),
    Tab("actions", _("Action plan"), ("actions",)),
    Tab("reports", _("Reports"), ("report_list",)),
    Tab("team", _("Team"), ("program_team",)),
    Tab("edit", _("Settings"), ("program_edit",)),
    Tab("audit", _("Audit log"), ("audit_log",)),
)

ANALYSIS_TABS = (
    Tab("workbench", _("Coding"), ("workbench",)),
    Tab("suggestions", _("Suggestions"), ("suggestions",)),
    Tab("agreement", _("Agreement"), ("agreement_rounds",)),
    Tab("codebook", _("Codebook"), ("codebook",)),
    Tab("themes", _("Themes"), ("themes",)),
    Tab("compare", _("Compare"), ("compare",)),
    Tab("patterns", _("Patterns"), ("patterns",)),
)

ACTION_PLAN_TABS = (
    Tab("actions", _("Actions"), ("actions",)),
    Tab("ideas", _("Ideas"), ("ideas",)),
)


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    page: str


def tabs_for(role: Role | str, tabs: tuple[Tab, ...]) -> list[Link]:
    """The tabs `role` may open, each with the page it links to."""
    links = []
    for tab in tabs:
        page = tab.page_for(role)
        if page is not None:
            links.append(Link(tab.key, tab.label, page))
    return links
