"""The coding assistant: it learns from this team's own coding and proposes codes for notes; nothing leaves
the app. The classifier itself is analysis/code_classifier.py; this module chooses its examples, stores it,
writes proposals, and turns a person's decision on one into coding or into a lesson.

What it learns from: human decisions only. A code's examples are the analysable notes people coded with it,
whichever way they did it (`Provenance.PERSON`; `BULK`, a person choosing to code every result of their
search; `SUGGESTED`, a person accepting a proposal: each is a person's decision about the note). Its
counter-examples are the notes people coded with other codes but not this one, and the notes where a person
rejected the assistant's proposal of this code. Open proposals are never examples. A code is learned once
it has `settings.ASSISTANT_MIN_CODED_NOTES` coded notes and two counter-examples; retired codes are neither
learned nor proposed. Notes of a student whose consent or assent was withdrawn, and erased words, are never
read nor proposed for (analysis/corpus.py).

Proposals are kept apart from coding (CodeProposal, not CodeApplication): patterns, themes, reports and
exports read CodeApplication only, so a proposal counts nowhere until a person accepts it."""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from analysis.agreement import Agreement, agreement
from analysis.code_classifier import CONFIDENCE_FLOOR
from analysis.coding import apply_code
from analysis.corpus import analysable_notes
from analysis.models import AssistantModel, Code, CodeApplication, CodeProposal, Provenance
from analysis.retraining import QUEUED_STALE_AFTER, queued_training, schedule_retraining
from interviews.models import Note
from programs.models import Program

# At most this many codes proposed for one note, the most confident first.
PROPOSALS_PER_NOTE = 3
HUMAN_PROVENANCES = (Provenance.PERSON, Provenance.BULK, Provenance.SUGGESTED)
SCORING_BATCH = 1000  # notes scored at a time, so a large program is never all in memory at once
ARTIFACT_MODEL, ARTIFACT_HELD_OUT = "model.joblib", "held_out.json"


def _notes(program: Program):
    return analysable_notes(program).filter(erased_at__isnull=True)


def min_coded_notes() -> int:
    return settings.ASSISTANT_MIN_CODED_NOTES


@dataclass(frozen=True)
class Examples:
    note_ids: list  # the notes read, in a fixed order
    texts: list[str]
    per_code: dict[int, tuple[set[int], set[int]]]  # code id -> (indexes of examples, of counter-examples)
    coded_notes: dict[int, int] = field(default_factory=dict)  # code id -> human-coded notes


def training_examples(*, program: Program) -> Examples:
    notes = _notes(program)
    codings = set(CodeApplication.objects.filter(note__in=notes, code__program=program, code__retired=False,
                                                 provenance__in=HUMAN_PROVENANCES).values_list("note_id", "code_id"))
    rejected = set(CodeProposal.objects.filter(note__in=notes, code__program=program, code__retired=False,
                                               status=CodeProposal.Status.REJECTED).values_list("note_id", "code_id"))
    ids = {note_id for note_id, _code in codings | rejected}
    # In the order of their words, not of their ids: ids are random, and the calibration folds follow this order,
    # so the same coding always trains the same model (notes with the same words are interchangeable).
    rows = sorted(Note.objects.filter(pk__in=ids).values_list("pk", "text"), key=lambda row: (row[1], str(row[0])))
    index = {note_id: i for i, (note_id, _text) in enumerate(rows)}
    coded = {index[n] for n, _c in codings}
    positives: dict[int, set[int]] = defaultdict(set)
    for note_id, code_id in codings:
        positives[code_id].add(index[note_id])
    refused: dict[int, set[int]] = defaultdict(set)
    for note_id, code_id in rejected:
        refused[code_id].add(index[note_id])
    per_code = {}
    for code_id in sorted(set(positives) | set(refused)):
        mine = positives.get(code_id, set())
        per_code[code_id] = (mine, (coded - mine) | (refused.get(code_id, set()) - mine))
    return Examples([n for n, _t in rows], [t for _n, t in rows], per_code,
                    {code_id: len(found) for code_id, found in positives.items()})


def _pack(classifier, held_out: dict[str, list[int]]) -> bytes:
    import joblib

    buffer, model = io.BytesIO(), io.BytesIO()
    joblib.dump(classifier, model, compress=3)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ARTIFACT_HELD_OUT, json.dumps(held_out))
        archive.writestr(ARTIFACT_MODEL, model.getvalue())
    return buffer.getvalue()


def _unpack(artifact: bytes, member: str):
    # The artifact is written only by `train` below, in our own database: unpickling it is loading our own
    # model, never a file anyone uploaded.
    with zipfile.ZipFile(io.BytesIO(bytes(artifact))) as archive:
        data = archive.read(member)
    if member == ARTIFACT_HELD_OUT:
        return json.loads(data)
    import joblib

    return joblib.load(io.BytesIO(data))


def train(*, program: Program, model: AssistantModel | None = None) -> AssistantModel:
    """Fit the assistant on the program's human coding (in a Celery task, never in a request)."""
    model = model or AssistantModel.objects.create(program=program)
    model.trained_at = timezone.now()  # the data is read from here on: later changes queue another training
    AssistantModel.objects.filter(pk=model.pk).update(trained_at=model.trained_at, status=AssistantModel.Status.TRAINING)
    try:
        examples = training_examples(program=program)
        wanted = {code_id: sides for code_id, sides in examples.per_code.items()
                  if examples.coded_notes.get(code_id, 0) >= min_coded_notes()}
        artifact, trained = None, {}
        if wanted:
            from analysis.code_classifier import fit

            classifier, held_out = fit(examples.texts, wanted)
            trained = {str(code_id): examples.coded_notes[code_id] for code_id in classifier.codes}
            per_note: dict[str, list[int]] = {str(note_id): [] for note_id in examples.note_ids}
            for code_id, confidences in held_out.items():
                for i, confidence in confidences.items():
                    if confidence >= CONFIDENCE_FLOOR:
                        per_note[str(examples.note_ids[i])].append(code_id)
            artifact = _pack(classifier, per_note) if classifier.codes else None
        model.status, model.codes_trained, model.artifact = AssistantModel.Status.READY, trained, artifact
        model.notes_used = len(examples.note_ids)
        model.save(update_fields=["status", "codes_trained", "artifact", "notes_used", "trained_at"])
    except Exception as exc:
        AssistantModel.objects.filter(pk=model.pk).update(status=AssistantModel.Status.FAILED, error=str(exc)[:500])
        raise
    # Older trainings are superseded: keep the rows small (queued and running ones are left alone).
    (AssistantModel.objects.filter(program=program, requested_at__lte=model.requested_at)
     .exclude(pk=model.pk).exclude(status=AssistantModel.Status.TRAINING).delete())
    return model


def latest_model(program: Program) -> AssistantModel | None:
    return program.assistant_models.filter(status=AssistantModel.Status.READY).order_by("-trained_at", "-pk").first()


def propose(*, program: Program, model: AssistantModel | None = None) -> int:
    """Write the latest model's proposals: for each analysable note, the codes it has not been given, whose
    confidence is at least CONFIDENCE_FLOOR (the PROPOSALS_PER_NOTE most confident). Open proposals no longer
    made go; a proposal a person accepted or rejected is never made again. Returns the open proposals."""
    model = model or latest_model(program)
    open_ = CodeProposal.objects.filter(code__program=program, status=CodeProposal.Status.OPEN)
    if model is None or not model.artifact:
        open_.delete()
        return 0
    classifier = _unpack(model.artifact, ARTIFACT_MODEL)
    current = set(Code.objects.filter(program=program, retired=False).values_list("pk", flat=True))
    columns = [(j, code_id) for j, code_id in enumerate(classifier.codes) if code_id in current]
    taken = set(CodeApplication.objects.filter(code__program=program).values_list("note_id", "code_id"))
    taken |= set(CodeProposal.objects.filter(code__program=program).exclude(status=CodeProposal.Status.OPEN)
                 .values_list("note_id", "code_id"))
    wanted: dict[tuple, float] = {}
    batch: list[tuple] = []

    def score() -> None:
        confidences = classifier.probabilities([text for _pk, text in batch])
        for (note_id, _text), row in zip(batch, confidences, strict=True):
            found = sorted(((float(row[j]), code_id) for j, code_id in columns
                            if row[j] >= CONFIDENCE_FLOOR and (note_id, code_id) not in taken), reverse=True)
            for confidence, code_id in found[:PROPOSALS_PER_NOTE]:
                wanted[(note_id, code_id)] = round(confidence, 4)
        batch.clear()

    for row in _notes(program).order_by("pk").values_list("pk", "text").iterator(chunk_size=SCORING_BATCH):
        batch.append(row)
        if len(batch) == SCORING_BATCH:
            score()
    score()
    with transaction.atomic():
        kept = []
        for proposal in open_.select_for_update():
            key = (proposal.note_id, proposal.code_id)
            if key in wanted:
                proposal.confidence, proposal.model = wanted.pop(key), model
                kept.append(proposal)
            else:
                proposal.delete()
        CodeProposal.objects.bulk_update(kept, ["confidence", "model"])
        # ignore_conflicts: a second training finishing at the same moment may have written the same proposal.
        CodeProposal.objects.bulk_create([CodeProposal(note_id=note_id, code_id=code_id, confidence=confidence, model=model)
                                          for (note_id, code_id), confidence in wanted.items()], ignore_conflicts=True)
    return len(kept) + len(wanted)


def retrain(*, program_id: int) -> AssistantModel | None:
    """The Celery task's work: take the queued training (or start one), fit, then propose."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:  # deleted while the task waited
        return None
    queued = list(queued_training(program_id).order_by("-requested_at", "-pk"))
    for extra in queued[1:]:  # two changes at the same moment may queue two: one training answers both
        extra.delete()
    model = train(program=program, model=queued[0] if queued else None)
    propose(program=program, model=model)
    return model


class ProposalRefused(ValueError):
    pass


def open_proposals(*, program: Program):
    """The open proposals a person may decide: on notes analysis may still read (not a withdrawn student's)."""
    return (CodeProposal.objects.filter(code__program=program, status=CodeProposal.Status.OPEN, note__in=_notes(program))
            .select_related("note__session", "code"))


def open_proposal_for(*, program: Program, pk: int) -> CodeProposal | None:
    return open_proposals(program=program).filter(pk=pk).first()


def open_proposals_prefetch() -> Prefetch:
    """Each note's open proposals, most confident first, as `note.open_proposals` (one query a page)."""
    return Prefetch("code_proposals", to_attr="open_proposals",
                    queryset=CodeProposal.objects.filter(status=CodeProposal.Status.OPEN, code__retired=False)
                    .select_related("code").order_by("-confidence", "pk"))


@transaction.atomic
def accept(*, proposal: CodeProposal, user) -> CodeApplication:
    """Code the whole note with the proposed code under the person's name (apply_code's rules: a retired
    code is refused), provenance "suggested"."""
    application = apply_code(note=proposal.note, code=proposal.code, coder=user)
    if application.provenance != Provenance.SUGGESTED:
        application.provenance = Provenance.SUGGESTED
        CodeApplication.objects.filter(pk=application.pk).update(provenance=Provenance.SUGGESTED)
    _decide(proposal, CodeProposal.Status.ACCEPTED, user)
    return application


@transaction.atomic
def reject(*, proposal: CodeProposal, user) -> None:
    """Mark the proposal rejected: it is never made again, and the next training learns from it."""
    _decide(proposal, CodeProposal.Status.REJECTED, user)
    schedule_retraining(program_id=proposal.code.program_id)


def _decide(proposal: CodeProposal, status: str, user) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


@dataclass(frozen=True)
class AssistantStatus:
    learning: bool  # a training is queued or running
    model: AssistantModel | None  # the latest ready one
    trained: list[tuple[Code, int]]  # the codes it proposes, with the coded notes it learned each from
    too_few: list[tuple[Code, int]]  # current codes it cannot propose yet, with their coded notes so far
    minimum: int


def assistant_status(*, program: Program, codes: list[Code]) -> AssistantStatus:
    """What the workbench's status line says (three queries, whatever the size of the program)."""
    rows = list(program.assistant_models.defer("artifact").order_by("-requested_at", "-pk")[:5])
    since = timezone.now() - QUEUED_STALE_AFTER  # a training queued long ago and never run is not "learning"
    learning = any(m.status == AssistantModel.Status.TRAINING and m.requested_at >= since for m in rows)
    ready = [m for m in rows if m.status == AssistantModel.Status.READY]
    model = max(ready, key=lambda m: (m.trained_at, m.pk)) if ready else None
    trained_ids = {int(k): n for k, n in (model.codes_trained if model else {}).items()}
    coded = dict(CodeApplication.objects.filter(code__program=program, provenance__in=HUMAN_PROVENANCES,
                                                note__in=_notes(program)).values("code_id")
                 .annotate(n=Count("note_id", distinct=True)).values_list("code_id", "n"))
    return AssistantStatus(learning, model, [(c, trained_ids[c.pk]) for c in codes if c.pk in trained_ids],
                           [(c, coded.get(c.pk, 0)) for c in codes if c.pk not in trained_ids], min_coded_notes())


@dataclass(frozen=True)
class CoderAgreement:
    person: object
    notes: int  # coded by both
    agreement: Agreement  # pooled over the codes the assistant knows (units: notes × codes)


def assistant_agreement(*, program: Program) -> list[CoderAgreement]:
    """Cohen's kappa between the assistant and each person, on the notes both have coded. The assistant's
    codes for a note are its held-out proposals (confidence at least CONFIDENCE_FLOOR, scored by a model
    that never saw that note's coding), so it is not graded on what it memorised; a person's are the codes
    they gave the note among those the assistant knows."""
    model = latest_model(program)
    if model is None or not model.artifact:
        return []
    held_out = {note_id: {str(c) for c in codes} for note_id, codes in _unpack(model.artifact, ARTIFACT_HELD_OUT).items()}
    known = set(model.codes_trained)
    given: dict = defaultdict(lambda: defaultdict(set))
    # Plain values, and the people once each: a program's codings are thousands, its coders a handful.
    for note, code_id, coder_id in (CodeApplication.objects.filter(code__program=program, provenance__in=HUMAN_PROVENANCES,
                                                                   coder__isnull=False, note__in=_notes(program))
                                    .order_by().values_list("note_id", "code_id", "coder_id")):
        note_id = str(note)
        if note_id in held_out:
            mine = given[coder_id][note_id]
            if str(code_id) in known:
                mine.add(str(code_id))
    people = get_user_model().objects.in_bulk(list(given))
    results = []
    for person_id, notes in given.items():
        units = sorted(notes)
        _per_code, pooled, _disagreements = agreement(units, sorted(known), notes, held_out)
        if person_id in people:  # else deleted since the codings were read
            results.append(CoderAgreement(people[person_id], len(units), pooled))
    return sorted(results, key=lambda r: ((r.person.get_full_name() or r.person.get_username()).lower(), r.person.pk))
