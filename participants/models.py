from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.pseudonyms import new_pseudonym
from toolkit.languages import home_language_name

LOWEST_GRADE = 0  # kindergarten
HIGHEST_GRADE = 12
GRADE_SPAN_OUT_OF_ORDER = _("The highest grade must be the same as the lowest grade or above it.")
GPA_MIN = 0
GPA_MAX = 5


THE_DISTRICT_PK = 1  # one district per installation: a second first run collides on this key


class District(models.Model):
    """The district this installation serves: one row, made on the first-run page (district/setup.py).

    It lives with the schools and people it is made of, so that every floor may read its default
    language; the set-up pages are the district app's."""

    name = models.CharField(max_length=200)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Pages open in this language until a person chooses their own; family letters and pages "
                    "use each family's home language when the roster records it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "district_district"  # made by the district app before it moved here

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> District | None:
        return cls.objects.filter(pk=THE_DISTRICT_PK).first()


class AccountLanguage(models.Model):
    """The language a person chose for themselves (participants/languages.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_choice")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


def grade_label(grade: int) -> str:
    return "K" if grade == 0 else str(grade)


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("The district's school code, used by imports."))
    # The grades the school teaches (K is 0), set by the district administrator (district/schools.py).
    lowest_grade = models.PositiveSmallIntegerField(_("lowest grade"), default=LOWEST_GRADE, validators=[MaxValueValidator(HIGHEST_GRADE)])
    highest_grade = models.PositiveSmallIntegerField(_("highest grade"), default=HIGHEST_GRADE, validators=[MaxValueValidator(HIGHEST_GRADE)])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lowest_grade__lte=models.F("highest_grade"), highest_grade__lte=HIGHEST_GRADE),
                name="school_grade_span_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_span(self) -> str:
        return f"{grade_label(self.lowest_grade)}–{grade_label(self.highest_grade)}"

    def clean(self) -> None:
        if self.lowest_grade is not None and self.highest_grade is not None and self.lowest_grade > self.highest_grade:
            raise ValidationError({"highest_grade": GRADE_SPAN_OUT_OF_ORDER})


class StudentGroup(models.Model):
    """A program, course or school group whose students' voices must be present (AVID, robotics...)."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program")
        COURSE = "course", _("Course")
        CLUB = "club", _("Club or activity")
        SUPPORT = "support", _("Support service")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRAM)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "school"], name="unique_group_name_per_school")]

    def __str__(self) -> str:
        return f"{self.name} ({self.school})" if self.school_id else self.name


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NONBINARY = "nonbinary", _("Nonbinary")
    UNSPECIFIED = "unspecified", _("Not specified")


class Student(models.Model):
    local_id = models.CharField(_("local id"), max_length=40, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    pseudonym = models.CharField(_("pseudonym"), max_length=60, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school"))
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(LOWEST_GRADE), MaxValueValidator(HIGHEST_GRADE)])
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNSPECIFIED)
    race_ethnicity = models.JSONField(_("race/ethnicity"), default=list, blank=True, help_text=_("One or more categories."))
    english_learner = models.BooleanField(_("English learner"), default=False)
    guardian_email = models.EmailField(
        _("parent or guardian e-mail"), blank=True, default="",
        help_text=_("Where consent letters and reminders can be e-mailed; empty to send them home on paper."))
    home_language = models.CharField(
        _("home language"), max_length=12, blank=True, default="",
        help_text=_("The language the family reads, as a code (es for Spanish): letters and pages for the "
                    "family use it when the app speaks it."))
    special_education = models.BooleanField(_("special education"), default=False)
    gpa = models.DecimalField(
        _("GPA"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(GPA_MIN), MaxValueValidator(GPA_MAX)],
    )
    groups = models.ManyToManyField(StudentGroup, blank=True, related_name="students", verbose_name=_("groups"))
    years_in_program = models.PositiveSmallIntegerField(_("years in program"), null=True, blank=True)
    extra_attributes = models.JSONField(
        _("district criteria"), default=dict, blank=True, help_text=_("District criteria such as foster youth, as name: value.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        # The district privacy officer's (participants/roles.py): every program's words about a student in
        # the record and its exports, and deleting a student. view/add/change_student are the roster's.
        permissions = [("handle_data_request", "Can answer a family's request: see and export everything, delete")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=LOWEST_GRADE, grade__lte=HIGHEST_GRADE), name="student_grade_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(gpa__isnull=True) | models.Q(gpa__gte=GPA_MIN, gpa__lte=GPA_MAX),
                name="student_gpa_in_range",
            ),
        ]

    def __str__(self) -> str:
        # The string form is what lands in logs and admin lists: never the name.
        return self.pseudonym

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)

    @property
    def home_language_name(self) -> str:
        return home_language_name(self.home_language) if self.home_language else ""

    def save(self, *args, **kwargs):
        if not self.pseudonym:
            self.pseudonym = new_pseudonym(is_taken=lambda name: Student.objects.filter(pseudonym=name).exists())
        super().save(*args, **kwargs)


class StaffMember(models.Model):
    """A person who may facilitate or take notes: school staff or an outside facilitator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_member"
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    staff_id = models.CharField(_("staff id"), max_length=40, unique=True, null=True, blank=True, help_text=_("District staff id."))
    schools = models.ManyToManyField(School, blank=True, related_name="staff", verbose_name=_("schools"))
    is_outside_facilitator = models.BooleanField(
        _("outside facilitator"), default=False, help_text=_("Not employed at these schools: a neutral facilitator.")
    )
    training_completed = models.BooleanField(_("training done"), default=False)
    readiness_notes = models.TextField(_("readiness notes"), blank=True, help_text=_("Training, comfort and rapport with students."))

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class TeachingAssignment(models.Model):
    """Who currently teaches whom: the facilitator conflict check reads this."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="teaching_assignments")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="teaching_assignments")
    course = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "student", "course", "starts_on"], name="unique_teaching_assignment"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="teaching_assignment_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} teaches {self.student} ({self.course})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})


class RosterUpload(models.Model):
    """An uploaded roster file waiting for its column mapping, checked, then imported or refused."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for you to check the columns")
        REFUSED = "refused", _("Problems found: nothing imported")
        CHECKING = "checking", _("Checking every row")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        STUDENTS = "students", _("Students (roster)")
        TEACHING = "teaching", _("Teaching assignments")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STUDENTS)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    mapping = models.JSONField(default=dict)
    errors = models.JSONField(default=list, blank=True)  # the first problems found (participants.uploads.PROBLEMS_KEPT)
    problem_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    # What the import page shows, made when the file is read on arrival, so that no page view reads the file:
    # {"headers": [...], "rows": [first rows, cells shortened]}.
    preview = models.JSONField(default=dict, blank=True)
    rows_checked = models.PositiveIntegerField(default=0)
    # School values of the file that match no school, with their row counts ({value: rows}), found at each
    # check; and those the person confirmed the import should create (participants/roster.py).
    unknown_schools = models.JSONField(default=dict, blank=True)
    new_schools = models.JSONField(default=list, blank=True)
    # The file holds every student's row: it is removed once it is no longer needed (see privacy.retention).
    file_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
