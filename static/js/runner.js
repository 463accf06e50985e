/* The session runner. Every note gets its id here; writes wait in localStorage until the server
 * has them, survive reloads, closed tabs and lost networks, and are sent oldest first.
 * See interviews/notes.py for the server's side of the protocol. */
(function () {
  "use strict";
  // Words come from Django's JavaScript catalogue (/jsi18n/, kept for offline use by runner_sw.js).
  // Without it (not cached yet, blocked) the English ones serve: note-taking never depends on it.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
  const interpolate = window.interpolate
    || ((format, values) => format.replace(/%\((\w+)\)s/g, (match, name) => String(values[name])));
  const LANGUAGE = document.documentElement.lang || undefined;
  // Numbers as the page's language writes them ("40 %" in Spanish, "40%" in English).
  function formatNumber(value) {
    try { return new Intl.NumberFormat(LANGUAGE).format(value); } catch (error) { return String(value); }
  }
  function formatPercent(percent) {
    try { return new Intl.NumberFormat(LANGUAGE, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100); }
    catch (error) { return percent + "%"; }
  }
  const data = JSON.parse(document.getElementById("runner-data").textContent);
  const sessionId = data.session.id;
  const QUEUE_KEY = "empathy.queue." + sessionId;
  const FAILED_KEY = "empathy.failed." + sessionId;
  // Assent answers not yet sent (student id and "yes"/"not_today", never a name): kept like unsent notes,
  // so an answer given without a network is not lost, and a "not today" takes the student's chip away at once.
  const ASSENT_KEY = "empathy.queue.assent." + sessionId;
  // The last notes this browser saw from the server, so that a reload without a network shows them.
  // Never on a shared computer; logout-guard.js forgets it with the rest on sign-out.
  const NOTES_KEY = "empathy.notes." + sessionId;
  const CACHE = "empathy-runner-v1";
  const AUTOSAVE_MS = 800;
  const RETRY_MS = 3000;
  const POLL_MS = 3000;
  // Off on a shared computer (ticked at sign-in): the page with names is never stored for offline use.
  const OFFLINE_COPY = data.offline_copy !== false;

  const notes = new Map(data.notes.map((note) => [note.id, note])); // the server's copies
  let queue = load(QUEUE_KEY); // unsent writes, oldest first; one entry per note id
  let failed = load(FAILED_KEY); // writes the server refused as invalid: shown, never dropped
  let assentQueue = load(ASSENT_KEY);
  const ASSENT = data.assent || { script: "", students: [] };
  let assentSending = false;
  let assentError = "";
  let lastSync = data.notes.reduce((latest, note) => (note.updated_at > latest ? note.updated_at : latest), "");
  restoreKnownNotes();
  let stepIndex = Math.min(Number((location.hash.match(/^#step-(\d+)$/) || [])[1] || 0), data.steps.length - 1);
  // A student id, or null for the whole group. Reset for each note unless "keep" is ticked.
  const DEFAULT_SPEAKER = data.participants.length === 1 ? data.participants[0].id : null;
  let speaker = DEFAULT_SPEAKER;
  // The language of the note being written: the session's, switched for one note with the toggle, back
  // to the session's at the next note unless pinned (interviews/notes.py keeps it on the note).
  const NOTE_LANGUAGES = data.note_languages || { default: "", choices: [] };
  const DEFAULT_LANGUAGE = NOTE_LANGUAGES.default || "";
  let language = DEFAULT_LANGUAGE;
  let languagePinned = false;
  const correcting = new Set(); // notes whose "correct" panel is open, kept open across renders
  let draftId = null;
  let draftTimer = null;
  let sending = false;
  let offline = !navigator.onLine;
  let signedOut = false;
  let forgotten = false; // this browser has dropped its offline copy since the server said signed out
  let retryTimer = null;
  let staleCorrection = false; // the server refused a correction made on an older copy of a note

  const $ = (id) => document.getElementById(id);
  const composer = $("composer");

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (error) { return []; }
  }
  function persist() {
    // Browser storage holds unsent writes (keys removed once empty) and, on a computer not marked
    // shared, the last known notes.
    if (queue.length) localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); else localStorage.removeItem(QUEUE_KEY);
    if (failed.length) localStorage.setItem(FAILED_KEY, JSON.stringify(failed)); else localStorage.removeItem(FAILED_KEY);
    if (!OFFLINE_COPY) { localStorage.removeItem(NOTES_KEY); return; }
    try {
      const known = [...notes.values()];
      const since = known.reduce((latest, note) => ((note.updated_at || "") > latest ? note.updated_at : latest), lastSync);
      localStorage.setItem(NOTES_KEY, JSON.stringify({ since, notes: known }));
    } catch (error) { /* storage full: the unsent writes above matter more */ }
  }
  function restoreKnownNotes() {
    // A page served by the service worker is as old as its last visit: the notes seen since then
    // come from storage. A page fresh from the server knows better, and wins.
    if (!OFFLINE_COPY) { localStorage.removeItem(NOTES_KEY); return; }
    let known;
    try { known = JSON.parse(localStorage.getItem(NOTES_KEY) || "null"); } catch (error) { known = null; }
    if (!known || !Array.isArray(known.notes) || !(known.since > (data.rendered_at || ""))) return;
    for (const note of known.notes) {
      const here = notes.get(note.id);
      if (!here || (here.updated_at || "") < (note.updated_at || "")) notes.set(note.id, note);
    }
    // lastSync stays the page's own: the next poll asks for everything since, erasures included.
  }
  /* ---- Assent at the start of the session (interviews/assent.py) ------------------------- */

  function assentAnswer(student) {
    const waiting = assentQueue.find((entry) => entry.student === student.id);
    return waiting ? waiting.answer : student.answer;
  }
  function applyAssent() {
    // A student who said "not today" is not offered as a speaker (the server refuses a note naming them too).
    const out = new Set(ASSENT.students.filter((s) => assentAnswer(s) === "not_today").map((s) => s.id));
    data.participants = data.participants.filter((p) => !out.has(p.id));
    if (speaker !== null && !data.participants.some((p) => p.id === speaker)) speaker = null;
  }
  function persistAssent() {
    if (assentQueue.length) localStorage.setItem(ASSENT_KEY, JSON.stringify(assentQueue)); else localStorage.removeItem(ASSENT_KEY);
  }
  function recordAssent(student, answer) {
    assentQueue = assentQueue.filter((entry) => entry.student !== student.id);
    assentQueue.push({ student: student.id, answer });
    persistAssent();
    applyAssent();
    render();
    flushAssent();
  }
  async function flushAssent() {
    if (assentSending || signedOut || !assentQueue.length) return;
    assentSending = true;
    while (assentQueue.length && !signedOut) {
      const entry = assentQueue[0];
      let response;
      try {
        response = await fetch(data.urls.assent, {
          method: "POST", body: JSON.stringify(entry), credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        });
      } catch (error) { offline = true; break; }
      offline = false;
      if (response.status === 401) { signedOutHere(); break; }
      if (response.status === 403 || response.status >= 500) break;
      const answer = await response.json().catch(() => ({}));
      const student = ASSENT.students.find((s) => s.id === entry.student);
      if (response.ok) {
        if (student) student.answer = answer.answer;
        assentError = "";
      } else {
        assentError = (student ? student.name + ": " : "") + (answer.error || gettext("Refused"));
      }
      assentQueue.shift();
      persistAssent();
    }
    assentSending = false;
    applyAssent();
    render();
    if (assentQueue.length && !signedOut) scheduleRetry();
  }
  function earlierAssent(student) {
    const earlier = student.earlier || {};
    if (assentAnswer(student)) return gettext("Answered in this session");
    if (!earlier.status) return gettext("No assent recorded before");
    if (earlier.status === "pending") return gettext("No assent recorded before");
    const parts = [earlier.status_label];
    const methods = { "paper": gettext("on paper"), "online": gettext("online"), "in session": gettext("in session") };
    if (earlier.method) parts.push(methods[earlier.method] || earlier.method);
    if (earlier.on) parts.push(earlier.on);
    return interpolate(gettext("Recorded before: %(assent)s"), { assent: parts.join(" · ") }, true);
  }
  function renderAssent() {
    const box = $("assent");
    const opening = stepIndex === 0;
    box.classList.toggle("d-none", !opening || !ASSENT.students.length);
    $("assent-script").textContent = ASSENT.script;
    const list = $("assent-students");
    list.textContent = "";
    ASSENT.students.forEach((student) => {
      const li = document.createElement("li");
      li.className = "assent-student d-flex flex-wrap align-items-center gap-2 py-1 border-bottom";
      li.dataset.student = String(student.id);
      const name = document.createElement("strong");
      name.textContent = student.name;
      const earlier = document.createElement("span");
      earlier.className = "small text-body-secondary me-auto";
      earlier.textContent = earlierAssent(student);
      li.append(name, earlier);
      const answer = assentAnswer(student);
      if (student.excluded) {
        const out = document.createElement("span");
        out.className = "badge text-bg-secondary";
        out.textContent = gettext("Not taking part: consent or assent is no longer granted");
        li.append(out);
      } else {
        const group = document.createElement("div");
        group.className = "btn-group btn-group-sm";
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", interpolate(gettext("Assent of %(name)s"), { name: student.name }, true));
        [["yes", gettext("Yes")], ["not_today", gettext("Not today")]].forEach(([value, label]) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "btn " + (answer === value ? (value === "yes" ? "btn-success" : "btn-danger") : "btn-outline-secondary");
          button.dataset.answer = value;
          button.setAttribute("aria-pressed", String(answer === value));
          button.textContent = label;
          // A "not today" stays for the session; a yes can still become a "not today".
          button.disabled = answer === "not_today" && value === "yes";
          button.addEventListener("click", () => {
            if (answer === value) return;
            recordAssent(student, value);
          });
          group.append(button);
        });
        li.append(group);
        if (assentQueue.some((entry) => entry.student === student.id)) {
          const wait = document.createElement("span");
          wait.className = "small text-warning-emphasis";
          wait.textContent = gettext("Not sent yet: kept in this browser until the network is back");
          li.append(wait);
        }
      }
      list.append(li);
    });
    if (assentError) {
      const li = document.createElement("li");
      li.className = "text-danger small pt-1";
      li.setAttribute("role", "alert");
      li.textContent = assentError;
      list.append(li);
    }
    const missing = ASSENT.students.filter((s) => !s.excluded && !assentAnswer(s));
    const alert = $("assent-missing");
    alert.classList.toggle("d-none", !missing.length || !step().question);
    alert.textContent = missing.length
      ? interpolate(gettext("Record assent before the first question: %(names)s (opening step)."),
        { names: missing.map((s) => s.name).join(", ") }, true)
      : "";
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function step() { return data.steps[stepIndex]; }
  function participantName(id) {
    const person = data.participants.find((p) => p.id === id);
    return person ? person.name : gettext("A student");
  }

  /* ---- The queue ---------------------------------------------------------------------- */

  function view(id) {
    const pending = queue.find((entry) => entry.id === id);
    return pending ? Object.assign({}, notes.get(id) || {}, pending, { pending: true }) : notes.get(id);
  }
  function allNotes() {
    const ids = new Set([...notes.keys(), ...queue.map((entry) => entry.id)]);
    return [...ids].map(view).sort((a, b) => (a.created_at || a.queued_at || "").localeCompare(b.created_at || b.queued_at || ""));
  }

  function enqueue(write) {
    const existing = queue.find((entry) => entry.id === write.id);
    if (existing) {
      // An edit of a note not yet sent merges into its waiting write; the base version stays.
      Object.assign(existing, write, { version: existing.version, rev: existing.rev + 1 });
    } else {
      const known = notes.get(write.id);
      queue.push(Object.assign({ queued_at: new Date().toISOString(), rev: 1 }, write, { version: known ? known.version : 0 }));
    }
    persist();
    render();
    flush();
  }

  async function flush() {
    if (sending || signedOut || !queue.length) { renderStatus(); return; }
    sending = true;
    renderStatus();
    while (queue.length && !signedOut) {
      const entry = queue[0];
      const sentRev = entry.rev;
      const body = JSON.stringify({
        id: entry.id, version: entry.version, step: entry.step, question: entry.question, student: entry.student,
        kind: entry.kind, text: entry.text, quote_worthy: entry.quote_worthy, needs_follow_up: entry.needs_follow_up,
        resolves_conflict: !!entry.resolves_conflict,
        language: entry.language, // absent from a write queued by an older page: the server keeps the note's
      });
      let response;
      try {
        response = await fetch(data.urls.notes, {
          method: "POST", body, credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        });
      } catch (error) {
        offline = true;
        break;
      }
      offline = false;
      if (response.status === 401) {
        signedOutHere();
        break;
      }
      if (response.status === 403) {
        signedOut = true;
        break;
      }
      if (response.status >= 500) break;
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        staleCorrection = false;
        notes.set(answer.note.id, answer.note);
        if (entry.rev === sentRev) queue.shift();
        else entry.version = answer.note.version; // edited while in flight: send the newer text next
      } else if (response.status === 409) {
        // The server keeps our text beside the saved one; edited while in flight: send the newer one.
        notes.set(answer.note.id, answer.note);
        if (entry.rev === sentRev) queue.shift();
        // Same words, so nothing was kept beside them: a correction made on an older copy is not applied.
        staleCorrection = !inConflict(answer.note) && entry.text === answer.note.text;
        showConflicts();
      } else {
        failed.push(Object.assign({}, entry, { error: answer.error || gettext("Refused") }));
        queue.shift();
      }
      persist();
      render();
    }
    sending = false;
    renderStatus();
    if (queue.length && !signedOut) scheduleRetry();
  }

  function inConflict(note) {
    return note && note.conflict_text !== null && note.conflict_text !== undefined;
  }
  function showConflicts() {
    // One note, two texts: both are kept on the note until a person chooses (interviews/notes.py).
    const count = allNotes().filter(inConflict).length;
    const alert = $("conflict-alert");
    alert.classList.toggle("d-none", !count && !staleCorrection);
    alert.textContent = count
      ? interpolate(ngettext(
        "%(count)s note was changed by two people at once. Both texts are kept on the note until you choose one, or merge them, beside the note.",
        "%(count)s notes were changed by two people at once. Both texts are kept on each note until you choose one, or merge them, beside the note.",
        count), { count: formatNumber(count) }, true)
      : "";
    if (staleCorrection) {
      alert.append((count ? " " : "") + gettext("Someone else changed a note before your correction reached it, so the correction was not applied: look at the note and make it again."));
    }
  }
  function resolve(note, text) {
    enqueue({ id: note.id, step: note.step, question: note.question || null, student: note.student || null,
      kind: note.kind, text, quote_worthy: !!note.quote_worthy, needs_follow_up: !!note.needs_follow_up,
      language: note.language, resolves_conflict: true, conflict_text: null });
  }
  function quoteOf(text) {
    const q = document.createElement("q");
    q.textContent = text;
    return q;
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { flush(); flushAssent(); }, RETRY_MS);
  }

  let pollTag = null; // the last poll's address and its answer's ETag
  async function poll() {
    if (document.hidden && !queue.length) return;
    let response;
    const url = data.urls.notes + (lastSync ? "?since=" + encodeURIComponent(lastSync) : "");
    try {
      // Marked as background: an open tab that polls is not activity, so it reaches the idle timeout.
      const headers = { "Accept": "application/json", "X-Background": "1" };
      // The same question as last time with its answer's tag: "304 Not Modified" when nothing changed.
      if (pollTag && pollTag.url === url) headers["If-None-Match"] = pollTag.tag;
      response = await fetch(url, { credentials: "same-origin", headers, cache: "no-store" });
    } catch (error) {
      offline = true;
      renderStatus();
      return;
    }
    offline = false;
    if (response.status === 401) { signedOutHere(); return; }
    if (response.status === 403) { signedOut = true; renderStatus(); return; }
    const unchanged = response.status === 304;
    if (!response.ok && !unchanged) return;
    const wasSignedOut = signedOut;
    signedOut = false;
    if (forgotten) { forgotten = false; keepOfflineCopy(); } // signed in again (in another tab)
    const answer = unchanged ? { notes: [] } : await response.json();
    let changed = wasSignedOut;
    for (const note of answer.notes) {
      const known = notes.get(note.id);
      if (note.erased) {
        // Deleted at a family's request or by retention: drop this device's copies too.
        if (known || queue.some((entry) => entry.id === note.id)) {
          notes.delete(note.id);
          queue = queue.filter((entry) => entry.id !== note.id);
          persist();
          changed = true;
        }
      } else if (!known || known.version < note.version || (known.updated_at || "") < note.updated_at) {
        notes.set(note.id, note);
        changed = true;
      }
      if (note.updated_at > lastSync) lastSync = note.updated_at;
    }
    // Kept only once the answer is taken in: a tag is never sent for an answer this page has not read.
    if (!unchanged) pollTag = response.headers.get("ETag") ? { url, tag: response.headers.get("ETag") } : null;
    if (changed) { persist(); render(); }
    flush();
  }

  /* ---- Writing notes -------------------------------------------------------------------- */

  function draftWrite(kind, text) {
    const current = step();
    return {
      id: draftId, step: current.key, question: current.question || null, student: speaker,
      kind: kind || ($("mark-observation").checked ? "observation" : "student"),
      text: text === undefined ? composer.value : text,
      quote_worthy: $("mark-quote").checked, needs_follow_up: $("mark-follow").checked,
      language,
    };
  }
  function saveDraft() {
    clearTimeout(draftTimer);
    if (!draftId || !composer.value.trim()) return;
    enqueue(draftWrite());
  }
  function resetAttribution() {
    // Who speaks, what kind of note it is and its language are chosen for each note, unless the person
    // keeps them (the "keep" box for the first two, the pin for the language).
    if (!languagePinned) { language = DEFAULT_LANGUAGE; renderLanguage(); }
    if ($("keep-attribution").checked) return;
    speaker = data.participants.some((p) => p.id === DEFAULT_SPEAKER) ? DEFAULT_SPEAKER : null;
    $("mark-observation").checked = false;
    renderChips();
  }
  function nextNote() {
    saveDraft();
    draftId = null;
    composer.value = "";
    $("mark-quote").checked = false;
    $("mark-follow").checked = false;
    resetAttribution();
    composer.focus();
  }

  composer.addEventListener("input", () => {
    if (!draftId) draftId = newId();
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, AUTOSAVE_MS);
  });
  composer.addEventListener("blur", saveDraft);
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); nextNote(); }
    if (event.altKey && /^[0-9]$/.test(event.key)) { event.preventDefault(); pickSpeakerByKey(event.key); }
  });
  ["mark-quote", "mark-follow", "mark-observation"].forEach((id) => $(id).addEventListener("change", () => { if (draftId) saveDraft(); }));
  $("next-note").addEventListener("click", nextNote);
  $("declined").addEventListener("click", () => {
    // Recorded without text and without pressure.
    saveDraft();
    draftId = newId();
    enqueue(draftWrite("declined", ""));
    draftId = null;
    composer.value = "";
    resetAttribution();
  });
  document.addEventListener("keydown", (event) => {
    const typing = ["TEXTAREA", "INPUT", "SELECT"].includes(document.activeElement.tagName);
    if (!typing && /^[0-9]$/.test(event.key)) pickSpeakerByKey(event.key);
    // Anywhere, the note box too. event.code: Alt+L types "¬" on a Mac keyboard, whose key is still KeyL.
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyL") { event.preventDefault(); nextLanguage(); }
  });

  function pickLanguage(code) {
    language = code;
    renderLanguage();
    if (draftId) saveDraft();
  }
  function nextLanguage() {
    const codes = NOTE_LANGUAGES.choices.map((choice) => choice.code);
    if (codes.length > 1) pickLanguage(codes[(codes.indexOf(language) + 1) % codes.length]);
  }
  $("pin-language").addEventListener("click", () => {
    languagePinned = !languagePinned;
    renderLanguage();
  });

  function pickSpeakerByKey(key) {
    if (key === "0") { speaker = null; renderChips(); return; }
    const person = data.participants[Number(key) - 1];
    if (person) { speaker = person.id; renderChips(); }
  }

  /* ---- Rendering ------------------------------------------------------------------------------ */

  function renderStatus() {
    const status = $("save-status");
    const waiting = queue.length;
    status.className = "save-status";
    if (signedOut) {
      status.classList.add("signed-out");
      status.textContent = interpolate(ngettext("Signed out: %(count)s note waiting", "Signed out: %(count)s notes waiting", waiting),
        { count: formatNumber(waiting) }, true);
    } else if (offline && waiting) {
      status.classList.add("offline");
      status.textContent = interpolate(ngettext("Offline: %(count)s note not yet saved", "Offline: %(count)s notes not yet saved", waiting),
        { count: formatNumber(waiting) }, true);
    } else if (waiting) {
      status.classList.add("saving");
      status.textContent = gettext("Saving…");
    } else if (offline) {
      status.classList.add("offline");
      status.textContent = gettext("Offline: all notes saved");
    } else {
      status.textContent = gettext("Saved");
    }
    $("signin-alert").classList.toggle("d-none", !signedOut);
    const failedAlert = $("failed-alert");
    failedAlert.classList.toggle("d-none", !failed.length);
    if (failed.length) {
      failedAlert.textContent = interpolate(ngettext(
        "%(count)s note could not be saved (%(error)s). Its text is kept here:",
        "%(count)s notes could not be saved (%(error)s). Their text is kept here:",
        failed.length), { count: formatNumber(failed.length), error: failed[0].error }, true) + " ";
      failed.forEach((entry) => failedAlert.append(quoteOf(entry.text), " "));
    }
  }

  function renderSteps() {
    const list = $("steps");
    list.textContent = "";
    data.steps.forEach((item, index) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = item.title;
      if (index === stepIndex) {
        button.setAttribute("aria-current", "step");
        // On a phone the steps scroll sideways: keep the current one in view.
        requestAnimationFrame(() => button.scrollIntoView({ block: "nearest", inline: "nearest" }));
      }
      button.addEventListener("click", () => goTo(index));
      li.append(button);
      list.append(li);
    });
    const current = step();
    $("step-title").textContent = current.title;
    $("step-script").textContent = current.script || "";
    // The session's language, or English where the protocol has no version in it (and a visible note says so).
    $("step-script").lang = current.language || "";
    $("step-follow-ups").lang = current.language || "";
    const untranslated = $("step-untranslated");
    if (untranslated) {
      $("step-untranslated-text").textContent = current.untranslated || "";
      untranslated.classList.toggle("d-none", !current.untranslated);
    }
    const prompts = $("step-follow-ups");
    prompts.textContent = "";
    (current.follow_ups || []).forEach((prompt) => {
      const li = document.createElement("li");
      li.textContent = prompt;
      prompts.append(li);
    });
  }

  function goTo(index) {
    saveDraft();
    draftId = null;
    composer.value = "";
    resetAttribution();
    stepIndex = index;
    history.replaceState(null, "", "#step-" + index);
    render();
  }

  function spokenCounts(questionId) {
    const counts = new Map(data.participants.map((p) => [p.id, 0]));
    for (const note of allNotes()) {
      if (note.kind === "student" && note.student && (note.text || "").trim() && (!questionId || note.question === questionId)) {
        counts.set(note.student, (counts.get(note.student) || 0) + 1);
      }
    }
    return counts;
  }

  function renderChips() {
    const chips = $("chips");
    chips.textContent = "";
    const current = step();
    const counts = current.question ? spokenCounts(current.question) : null;
    const options = data.participants.map((p, index) => ({ id: p.id, label: p.name, key: String(index + 1) }));
    options.push({ id: null, label: gettext("Group"), key: "0" });
    options.forEach((option) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.setAttribute("role", "radio");
      chip.setAttribute("aria-checked", String(option.id === speaker));
      if (counts && option.id && counts.get(option.id) === 0) chip.classList.add("quiet");
      const key = document.createElement("kbd");
      key.textContent = option.key;
      key.title = interpolate(gettext("Alt+%(key)s"), { key: option.key }, true);
      chip.append(key, option.label);
      chip.addEventListener("click", () => { speaker = option.id; renderChips(); if (draftId) saveDraft(); composer.focus(); });
      chips.append(chip);
    });
  }

  function languageName(code) {
    const choice = NOTE_LANGUAGES.choices.find((item) => item.code === code);
    return choice ? choice.name : code;
  }

  function renderLanguage() {
    // A small toggle near the speaker chips ("EN | ES"); the composer's lang follows, for spelling.
    const box = $("note-language");
    box.textContent = "";
    $("note-language-box").classList.toggle("d-none", NOTE_LANGUAGES.choices.length < 2);
    NOTE_LANGUAGES.choices.forEach((choice) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-primary" + (choice.code === language ? " active" : "");
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", String(choice.code === language));
      button.setAttribute("lang", choice.code);
      button.dataset.language = choice.code;
      button.title = choice.name;
      button.setAttribute("aria-label", choice.name);
      button.textContent = choice.short;
      button.addEventListener("click", () => pickLanguage(choice.code));
      box.append(button);
    });
    if (language) composer.lang = language; else composer.removeAttribute("lang");
    const pin = $("pin-language");
    pin.setAttribute("aria-pressed", String(languagePinned));
    pin.classList.toggle("active", languagePinned);
  }

  function renderNotes() {
    const list = $("notes");
    list.textContent = "";
    const current = step();
    const here = allNotes().filter((note) => note.step === current.key && (note.question || null) === (current.question || null));
    if (!here.length) {
      const li = document.createElement("li");
      li.className = "text-body-secondary";
      li.textContent = gettext("No notes at this step yet.");
      list.append(li);
    }
    here.forEach((note) => {
      const li = document.createElement("li");
      li.dataset.noteId = note.id;
      const who = document.createElement("div");
      who.className = "who";
      who.textContent = note.kind === "observation" ? gettext("Observation")
        : note.student ? participantName(note.student) : gettext("Group");
      if (note.kind === "declined") who.append(" · " + gettext("declined to answer"));
      if (note.quote_worthy) who.append(" · " + gettext("★ quote"));
      if (note.needs_follow_up) who.append(" · " + gettext("follow up"));
      if (note.language && note.language !== DEFAULT_LANGUAGE) {
        const mark = document.createElement("span");
        mark.className = "note-language badge text-bg-light border ms-1";
        mark.textContent = note.language.toUpperCase();
        mark.title = languageName(note.language);
        who.append(" ", mark);
      }
      const text = document.createElement("textarea");
      if (note.language) text.lang = note.language;
      text.className = "form-control form-control-sm mt-1";
      text.rows = 2;
      text.value = note.text || "";
      text.setAttribute("aria-label", gettext("Edit note"));
      let timer = null;
      const save = () => {
        clearTimeout(timer);
        const known = view(note.id);
        if (text.value === (known.text || "")) return;
        enqueue({ id: note.id, step: known.step, question: known.question || null, student: known.student || null,
          kind: known.kind, text: text.value, quote_worthy: !!known.quote_worthy, needs_follow_up: !!known.needs_follow_up,
          language: known.language });
      };
      text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, AUTOSAVE_MS); });
      text.addEventListener("blur", save);
      li.append(who);
      if (note.kind !== "declined" || note.text) li.append(text);
      if (inConflict(note)) li.append(conflictBox(note));
      if (!note.pending || notes.has(note.id)) li.append(correctionPanel(note));
      if (note.pending) {
        const pending = document.createElement("div");
        pending.className = "pending";
        pending.textContent = gettext("Not saved yet");
        li.append(pending);
      }
      list.append(li);
    });
  }

  function conflictBox(note) {
    // Mine is the text this person wrote; theirs the other one (the saved text, or the one kept beside it).
    const mineIsTheOther = note.conflict_by === data.user;
    const mine = mineIsTheOther ? note.conflict_text : note.text;
    const theirs = mineIsTheOther ? note.text : note.conflict_text;
    const box = document.createElement("div");
    box.className = "note-conflict alert alert-warning py-2 mt-1 mb-0 small";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", gettext("Two versions of this note"));
    const title = document.createElement("strong");
    title.textContent = gettext("Two versions of this note.") + " ";
    const other = document.createElement("div");
    other.append((mineIsTheOther ? gettext("Your version, kept beside the saved one:")
      : gettext("Another person's version, written at the same time:")) + " ", quoteOf(note.conflict_text));
    box.append(title, gettext("Analysis uses the saved text until you choose."), other);
    const buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2 mt-1";
    const button = (label, onClick, style) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-sm " + (style || "btn-outline-secondary");
      b.textContent = label;
      b.addEventListener("click", onClick);
      buttons.append(b);
      return b;
    };
    button(gettext("Keep mine"), () => resolve(note, mine));
    button(gettext("Keep theirs"), () => resolve(note, theirs));
    const merge = document.createElement("textarea");
    merge.className = "form-control form-control-sm d-none mt-1";
    merge.rows = 3;
    merge.setAttribute("aria-label", gettext("Merged text"));
    merge.value = `${note.text}\n\n${note.conflict_text}`;
    const save = button(gettext("Save merged text"), () => resolve(note, merge.value), "btn-primary d-none");
    button(gettext("Merge by hand"), () => { merge.classList.remove("d-none"); save.classList.remove("d-none"); merge.focus(); });
    box.append(buttons, merge);
    return box;
  }

  function correctionPanel(note) {
    // A saved note's speaker, kind and question can be corrected; the server's history keeps what it was.
    const panel = document.createElement("details");
    panel.className = "note-correct small mt-1";
    panel.open = correcting.has(note.id);
    panel.addEventListener("toggle", () => { if (panel.open) correcting.add(note.id); else correcting.delete(note.id); });
    const summary = document.createElement("summary");
    summary.textContent = gettext("Correct speaker, kind or question"); // and language, when the session offers more than one
    panel.append(summary);
    const row = document.createElement("div");
    row.className = "d-flex flex-wrap gap-2 mt-1";
    const select = (label, options, value, onChange) => {
      const wrap = document.createElement("label");
      wrap.textContent = label + " ";
      const field = document.createElement("select");
      field.className = "form-select form-select-sm";
      field.setAttribute("aria-label", label);
      options.forEach(([optionValue, text]) => {
        const option = document.createElement("option");
        option.value = optionValue;
        option.textContent = text;
        option.selected = optionValue === value;
        field.append(option);
      });
      field.addEventListener("change", () => onChange(field.value));
      wrap.append(field);
      row.append(wrap);
    };
    const correct = (changes) => {
      const known = view(note.id);
      enqueue(Object.assign({ id: note.id, step: known.step, question: known.question || null, student: known.student || null,
        kind: known.kind, text: known.text || "", quote_worthy: !!known.quote_worthy, needs_follow_up: !!known.needs_follow_up,
        language: known.language },
      changes));
    };
    select(gettext("Speaker"), [["", gettext("Group")], ...data.participants.map((p) => [String(p.id), p.name])], note.student ? String(note.student) : "",
      (value) => correct({ student: value ? Number(value) : null }));
    select(gettext("Kind"), [["student", gettext("Student's words")], ["observation", gettext("My own observation")],
      ["declined", gettext("Declined to answer")]],
      note.kind, (value) => correct({ kind: value }));
    if (note.step === "question") {
      const questions = data.steps.filter((item) => item.question).map((item) => [String(item.question), item.title]);
      select(gettext("Question"), questions, String(note.question), (value) => correct({ question: Number(value) }));
    }
    if (NOTE_LANGUAGES.choices.length > 1) {
      select(gettext("Language"), NOTE_LANGUAGES.choices.map((choice) => [choice.code, choice.name]), note.language || DEFAULT_LANGUAGE,
        (value) => correct({ language: value }));
    }
    panel.append(row);
    return panel;
  }

  function renderParticipation() {
    const current = step();
    const spoken = $("spoken");
    spoken.textContent = "";
    if (current.question) {
      const counts = spokenCounts(current.question);
      data.participants.forEach((p) => {
        const li = document.createElement("li");
        const count = counts.get(p.id);
        if (count === 0) {
          li.className = "quiet-name";
          li.textContent = interpolate(gettext("%(name)s: not yet — invite them in"), { name: p.name }, true);
        } else {
          li.textContent = interpolate(gettext("%(name)s: %(count)s"), { name: p.name, count: formatNumber(count) }, true);
        }
        spoken.append(li);
      });
    } else {
      const hint = document.createElement("li");  // a list holds only items, even a hint
      hint.textContent = gettext("Counts appear at each question.");
      spoken.append(hint);
    }
    const shares = $("shares");
    shares.textContent = "";
    const totals = spokenCounts(null);
    const sum = [...totals.values()].reduce((a, b) => a + b, 0);
    data.participants.forEach((p) => {
      const li = document.createElement("li");
      const percent = sum ? Math.round((100 * totals.get(p.id)) / sum) : 0;
      li.textContent = interpolate(gettext("%(name)s %(percent)s"),
        { name: p.name, percent: formatPercent(percent) }, true);
      const bar = document.createElement("span");
      bar.className = "share-bar";
      bar.style.width = percent + "%";
      li.append(bar);
      shares.append(li);
    });
  }

  function render() {
    renderAssent();
    renderSteps();
    renderChips();
    renderLanguage();
    renderNotes();
    renderParticipation();
    renderStatus();
    showConflicts();
  }

  const reminders = $("reminders");
  data.reminders.forEach((text) => { const li = document.createElement("li"); li.textContent = text; reminders.append(li); });

  window.addEventListener("online", () => { offline = false; poll(); flush(); flushAssent(); });
  window.addEventListener("offline", () => { offline = true; renderStatus(); });
  window.addEventListener("beforeunload", saveDraft);
  setInterval(poll, POLL_MS);

  /* ---- Offline copy and sign-out ------------------------------------------------------------ */

  function keepOfflineCopy() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register($("runner").dataset.serviceWorker, { scope: "/" }).catch(() => {});
    }
    if (!window.caches) return;
    if (!OFFLINE_COPY) {
      caches.has(CACHE).then((kept) => kept && caches.open(CACHE).then((cache) => cache.delete(location.pathname))).catch(() => {});
    }
    else if (navigator.onLine) {
      // Kept only as the signed-in page it is: never a sign-in page that a redirect put in its place.
      fetch(location.pathname, { credentials: "same-origin", headers: { "X-Background": "1" } })
        .then((response) => response.ok && !response.redirected
          && caches.open(CACHE).then((cache) => cache.put(location.pathname, response)))
        .catch(() => {});
    }
  }
  function signedOutHere() {
    // The server says nobody is signed in: the cached page (names, sent notes) goes, the unsent
    // writes stay (logout-guard.js). On a shared computer the open page goes too, to the sign-in
    // page that leads back here, where the waiting writes are sent.
    signedOut = true;
    renderStatus();
    if (forgotten) return;
    forgotten = true;
    const done = window.EmpathyBrowser ? window.EmpathyBrowser.forget({ keepUnsent: true }) : Promise.resolve();
    if (!OFFLINE_COPY) {
      saveDraft();
      done.then(() => location.replace(data.urls.login + "?next=" + encodeURIComponent(data.urls.runner)));
    }
  }

  keepOfflineCopy();

  // On a phone there is no Ctrl+Enter, and Alt+digit needs a keyboard.
  if (window.matchMedia && window.matchMedia("(max-width: 767.98px), (pointer: coarse)").matches) {
    composer.placeholder = gettext("Type what the student says, in their words. Tap “Next note” to start the next one.");
    $("keys-hint").classList.add("d-none");
  }
  persist();
  applyAssent();
  render();
  flush();
  flushAssent();
})();
