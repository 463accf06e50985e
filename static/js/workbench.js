/* Coding workbench: selecting words inside a note fills that note's span (start, end offsets) and
   the selected words; keys 1–9 apply the most used codes to the focused note (or to the words
   selected in it); u undoes.
   The server counts offsets in Unicode code points; the DOM counts UTF-16 units, in which an emoji
   is two. Array.from walks a string by code points, so its length is the server's count. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (/jsi18n/, loaded before this script); English without it.
  const gettext = window.gettext || ((text) => text);
  function codePoints(text) {
    return Array.from(text).length;
  }
  // [start, end, words]: the selection inside `element`, as code-point offsets into its text.
  function offsetsWithin(element, range) {
    const before = document.createRange();
    before.selectNodeContents(element);
    before.setEnd(range.startContainer, range.startOffset);
    const words = range.toString();
    const start = codePoints(before.toString());
    return [start, start + codePoints(words), words];
  }
  function noteTextOf(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("[data-note-text]") : null;
  }
  // The card whose words are selected, with its form's span filled in; null when nothing is selected in a note.
  function selectedCard() {
    const selection = document.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const text = noteTextOf(range.commonAncestorContainer);
    if (!text) return null;
    const card = text.closest(".note-card");
    const form = card.querySelector(".code-form");
    const [start, end, words] = offsetsWithin(text, range);
    form.elements.start.value = start;
    form.elements.end.value = end;
    form.elements.selected.value = words;
    form.querySelector("[data-span-label]").textContent = gettext("Code the selected words");
    return card;
  }

  // A coding's answer is its chip (or, refused, the note's codings): the form and the words stay, so the
  // selection in them and the form's span are emptied here and the next click codes the whole note again, as
  // the button then says (as when the whole card came back).
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!event.detail.successful || !form.classList || !form.classList.contains("code-form")) return;
    const selection = document.getSelection();
    if (selection.rangeCount && form.closest(".note-card").contains(selection.anchorNode)) selection.removeAllRanges();
    form.elements.start.value = "";
    form.elements.end.value = "";
    form.elements.selected.value = "";
    form.querySelector("[data-span-label]").textContent = gettext("Code the whole note");
  });

  // A new coding comes back as its chip alone, added at the end of the note's chips: put it where a reload
  // would (by where its words start, then oldest first), and clear a refusal the card still shows.
  document.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    // htmx also sends afterSwap from each element it added: the list's own event is enough.
    if (!list || event.target !== list || !list.id || !list.id.startsWith("chips-")) return;
    const problem = list.parentElement.querySelector(":scope > .alert");
    if (problem) problem.remove();
    const order = (chip) => [Number(chip.dataset.start), Number(chip.id.replace("coding-", ""))];
    const chips = Array.from(list.children).sort((a, b) => {
      const [startA, idA] = order(a), [startB, idB] = order(b);
      return startA - startB || idA - idB;
    });
    chips.forEach((chip) => list.appendChild(chip));
  });

  // Undo answers beside its button. The answer is emptied first, so that the same words said again (twice
  // "Nothing to undo.") are a change a screen reader announces; the chip it names goes if the page shows it.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.id === "undo-form") document.getElementById("undo-status").textContent = "";
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "undo-status") return;
    const undone = event.target.querySelector("[data-undone]");
    if (!undone) return;
    const chip = document.getElementById(undone.dataset.undone);
    if (chip) chip.remove();
    undone.remove();
  });

  let lastId = null; // an id, not the element: htmx may replace parts of the card
  document.addEventListener("selectionchange", () => {
    const card = selectedCard();
    if (card) lastId = card.id;
  });
  document.addEventListener("focusin", (event) => {
    const card = event.target.closest && event.target.closest(".note-card");
    if (card) lastId = card.id;
  });

  const legend = document.getElementById("shortcut-keys");
  if (!legend) return;
  const codes = Object.fromEntries(legend.dataset.shortcuts.split(",").map((pair) => pair.split(":")));
  document.addEventListener("keydown", (event) => {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName) || event.ctrlKey || event.metaKey || event.altKey) return;
    // requestSubmit, not submit: htmx answers the submit event, and the page stays where it is.
    if (event.key === "u") { document.getElementById("undo-form").requestSubmit(); return; }
    const code = codes[event.key];
    // Read the selection now: "selectionchange" fires later, and a quick key press must not code
    // the previously focused note instead of the words just selected.
    const card = selectedCard() || (lastId && document.getElementById(lastId));
    if (!code || !card) return;
    const form = card.querySelector(".code-form");
    form.elements.code.value = code;
    event.preventDefault();
    form.requestSubmit();
  });
})();
