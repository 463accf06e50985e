"""Everything the app holds about one student, gathered for a family's request: the record, consent
in each program, every note with the question it answered, follow-ups, and where the words were
coded or quoted. The same gathering feeds the PDF, the CSV and the page that offers them.

The student's words (notes and their earlier versions, coded passages, theme quotes) are gathered
within a `WordsScope`: every program's for a district privacy officer (participants/roles.py), else
only those of the programs the person leads and of the sessions they facilitate or take notes in while
their role still runs sessions (the rule of interviews.scheduling.runs_with_role). What was left out
is counted, and the page and the files say so."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis.models import CodeApplication, ThemeQuote
from interviews.models import FollowUpLink, Note, NoteRevision, Session
from participants.models import Student
from participants.roles import sees_every_program
from programs.models import Membership, Role
from programs.pages import roles_for
from recruitment.models import Invitation
from toolkit.tables import SafeCsvWriter


@dataclass(frozen=True)
class WordsScope:
    """Whose words about a student a person sees: every program's, or those of the programs they lead
    and of the sessions they run (facilitate or take notes in) in programs where their role runs sessions."""

    every_program: bool
    led_programs: frozenset[int] = frozenset()
    running_programs: frozenset[int] = frozenset()
    user_id: int | None = None

    @classmethod
    def for_user(cls, user) -> WordsScope:
        if sees_every_program(user):
            return EVERY_PROGRAM
        roles = dict(Membership.objects.filter(user_id=user.pk).values_list("program_id", "role"))
        runs_sessions = {str(role) for role in roles_for("runner")}
        return cls(every_program=False, user_id=user.pk,
                   led_programs=frozenset(pk for pk, role in roles.items() if role == Role.LEAD),
                   running_programs=frozenset(pk for pk, role in roles.items() if role in runs_sessions))

    def notes(self, path: str = "") -> Q:
        """The notes (reached through `path`, e.g. "note__") this scope shows."""
        if self.every_program:
            return Q()
        runs = Q(**{f"{path}session__facilitator_id": self.user_id}) | Q(**{f"{path}session__note_taker_id": self.user_id})
        return (Q(**{f"{path}session__program_id__in": self.led_programs})
                | (Q(**{f"{path}session__program_id__in": self.running_programs}) & runs))


EVERY_PROGRAM = WordsScope(every_program=True)


@dataclass
class StudentData:
    student: Student
    invitations: list[Invitation]
    sessions: list[Session]
    notes: list[Note]
    revisions: dict = field(default_factory=dict)  # note id -> earlier texts, newest first
    follow_up_links: list[FollowUpLink] = field(default_factory=list)
    codings: list[CodeApplication] = field(default_factory=list)
    quotes: list[ThemeQuote] = field(default_factory=list)
    gathered_at: object = None
    left_out: dict[str, int] = field(default_factory=dict)  # words outside the scope: notes, codings, quotes

    @property
    def complete(self) -> bool:
        return not any(self.left_out.values())

    def left_out_line(self) -> str:
        """What this record does not show, in words; empty when it shows everything."""
        if self.complete:
            return ""
        n = self.left_out
        parts = [ngettext("%(n)d note", "%(n)d notes", n["notes"]) % {"n": n["notes"]},
                 ngettext("%(n)d coded passage", "%(n)d coded passages", n["codings"]) % {"n": n["codings"]},
                 ngettext("%(n)d theme quote", "%(n)d theme quotes", n["quotes"]) % {"n": n["quotes"]}]
        return _("Not shown: %(what)s from programs you do not lead or sessions you did not run. Only a privacy "
                 "officer sees and exports every program's words.") % {"what": ", ".join(parts)}

    def goes_words_line(self) -> str:
        """What deleting the student removes of their words, in a phrase (the delete page's list)."""
        notes, quotes = len(self.notes), len(self.quotes)
        return _("%(notes)s, with earlier versions, coded passages and %(quotes)s") % {
            "notes": ngettext("%(count)d note of their words", "%(count)d notes of their words", notes) % {"count": notes},
            "quotes": ngettext("%(n)d theme quote", "%(n)d theme quotes", quotes) % {"n": quotes},
        }

    def goes_links_line(self) -> str:
        """What deleting the student removes of their consent, links and session places, in a phrase."""
        programs, links, sessions = len(self.invitations), len(self.follow_up_links), len(self.sessions)
        return _("%(consent)s, %(links)s and %(sessions)s") % {
            "consent": ngettext("consent in %(count)d program", "consent in %(count)d programs", programs) % {
                "count": programs},
            "links": ngettext("%(count)d follow-up link", "%(count)d follow-up links", links) % {"count": links},
            "sessions": ngettext("their places in %(count)d session", "their places in %(count)d sessions",
                                 sessions) % {"count": sessions},
        }

    def coded_and_quoted_line(self) -> str:
        """How many coded passages and theme quotes hold their words: "3 coded passages, 1 theme quote"."""
        codings, quotes = len(self.codings), len(self.quotes)
        return _("%(codings)s, %(quotes)s") % {
            "codings": ngettext("%(n)d coded passage", "%(n)d coded passages", codings) % {"n": codings},
            "quotes": ngettext("%(n)d theme quote", "%(n)d theme quotes", quotes) % {"n": quotes},
        }

    def record_rows(self) -> list[tuple[str, str]]:
        s = self.student
        yes, no = _("Yes"), _("No")
        return [
            (_("First name"), s.first_name), (_("Last name"), s.last_name), (_("Local id"), s.local_id),
            (_("Pseudonym used in analysis"), s.pseudonym), (_("School"), s.school.name), (_("Grade"), s.grade_label),
            (_("Gender"), s.get_gender_display()), (_("Race or ethnicity"), ", ".join(s.race_ethnicity) or "—"),
            (_("English learner"), yes if s.english_learner else no),
            (_("Special education"), yes if s.special_education else no),
            (_("GPA"), str(s.gpa) if s.gpa is not None else "—"),
            (_("Groups"), ", ".join(g.name for g in s.groups.all()) or "—"),
            (_("Years in program"), str(s.years_in_program) if s.years_in_program is not None else "—"),
            *((_("%(attribute)s (district)") % {"attribute": name.replace("_", " ").capitalize()}, str(value))
              for name, value in sorted(s.extra_attributes.items())),
            (_("Record created"), date_format(timezone.localtime(s.created_at), "DATETIME_FORMAT")),
            (_("Record last changed"), date_format(timezone.localtime(s.updated_at), "DATETIME_FORMAT")),
        ]


def gather(student: Student, *, scope: WordsScope) -> StudentData:
    """A fixed number of queries whatever the student's history. The words are those `scope` shows."""
    notes = list(Note.objects.filter(scope.notes(), student=student)
                 .select_related("session__program", "question").order_by("session__starts_at", "created_at"))
    codings = list(CodeApplication.objects.filter(scope.notes("note__"), note__student=student)
                   .select_related("code__program", "note"))
    quotes = list(ThemeQuote.objects.filter(scope.notes("note__"), note__student=student).select_related("theme__program"))
    left_out = {"notes": 0, "codings": 0, "quotes": 0}
    if not scope.every_program:
        left_out = {"notes": Note.objects.filter(student=student).count() - len(notes),
                    "codings": CodeApplication.objects.filter(note__student=student).count() - len(codings),
                    "quotes": ThemeQuote.objects.filter(note__student=student).count() - len(quotes)}
    revisions: dict = {}
    for revision in NoteRevision.objects.filter(note__in=[n.pk for n in notes]).order_by("note", "-version"):
        revisions.setdefault(revision.note_id, []).append(revision)
    return StudentData(
        student=student,
        invitations=list(Invitation.objects.filter(student=student).select_related("program").order_by("program__starts_on")),
        sessions=list(student.interview_sessions.select_related("program").order_by("starts_at")),
        notes=notes,
        revisions=revisions,
        follow_up_links=list(FollowUpLink.objects.filter(student=student).select_related("session__program")),
        codings=codings,
        quotes=quotes,
        gathered_at=timezone.now(),
        left_out=left_out,
    )


CSV_HEADER = ["section", "program", "when", "item", "value"]


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def csv_rows(data: StudentData) -> list[list[str]]:
    """One long table: a section, the program it belongs to, a date, what it is and its value."""
    rows = [["record", "", "", label, value] for label, value in data.record_rows()]
    if not data.complete:
        rows.append(["record", "", "", _("Not included"), data.left_out_line()])
    for inv in data.invitations:
        rows += [
            ["consent", inv.program.name, str(inv.parent_consent_on or ""), _("Parent consent"),
             f"{inv.get_parent_consent_display()} {inv.parent_consent_method}".strip()],
            ["consent", inv.program.name, str(inv.student_assent_on or ""), _("Student assent"),
             f"{inv.get_student_assent_display()} {inv.student_assent_method}".strip()],
            ["consent", inv.program.name, _when(inv.invited_at), _("Invitation"), inv.get_status_display()],
        ]
    for session in data.sessions:
        rows.append(["session", session.program.name, _when(session.starts_at), session.get_format_display(),
                     session.get_status_display()])
    for note in data.notes:
        asked = note.question.text if note.question_id else note.get_step_display()
        rows.append(["note", note.session.program.name, _when(note.created_at), asked, note.text])
        if note.conflict_at:  # two people wrote it at once: the other text waits beside the saved one
            rows.append(["other version", note.session.program.name, _when(note.conflict_at), asked, note.conflict_text])
        for revision in data.revisions.get(note.pk, []):
            rows.append(["earlier version", note.session.program.name, _when(revision.edited_at), asked, revision.text])
            if revision.changes.get("conflict"):
                rows.append(["earlier version", note.session.program.name, _when(revision.edited_at), asked,
                             revision.changes["conflict"]])
    for link in data.follow_up_links:
        rows.append(["follow-up link", link.session.program.name, _when(link.created_at),
                     _("Valid until %(when)s") % {"when": _when(link.expires_at)},
                     ngettext("Used %(count)d time", "Used %(count)d times", link.times_used) % {"count": link.times_used}])
    for coding in data.codings:
        rows.append(["coded", coding.code.program.name, _when(coding.created_at), coding.code.name, coding.snippet])
    for quote in data.quotes:
        rows.append(["quoted in a theme", quote.theme.program.name, "", quote.theme.name, quote.snippet])
    return rows


def as_csv(data: StudentData) -> bytes:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(CSV_HEADER)
    for row in csv_rows(data):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read the accents right


def as_html(data: StudentData) -> str:
    from reports.render import page_footer_css

    return render_to_string("privacy/student_export_pdf.html",
                            {"data": data, "rows": csv_rows(data), "page_footer": page_footer_css()})


def as_pdf(data: StudentData) -> bytes:
    from reports.render import html_to_pdf

    pdf, _pages = html_to_pdf(as_html(data))
    return pdf
