/* Coding workbench: selecting words inside a note fills that note's span (start, end offsets). */
(function () {
  "use strict";
  function offsetsWithin(element, range) {
    const before = document.createRange();
    before.selectNodeContents(element);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    return [start, start + range.toString().length];
  }
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const text = range.commonAncestorContainer.nodeType === 1
      ? range.commonAncestorContainer.closest("[data-note-text]")
      : range.commonAncestorContainer.parentElement && range.commonAncestorContainer.parentElement.closest("[data-note-text]");
    if (!text || range.collapsed) return;
    const form = text.closest(".note-card").querySelector(".code-form");
    const [start, end] = offsetsWithin(text, range);
    form.elements.start.value = start;
    form.elements.end.value = end;
    form.querySelector("[data-span-label]").textContent = "Code the selected words";
  });
})();

/* Keys 1–9 apply the most used codes to the focused note (or to the words selected in it); u undoes. */
(function () {
  "use strict";
  const legend = document.getElementById("shortcut-keys");
  if (!legend) return;
  const codes = Object.fromEntries(legend.dataset.shortcuts.split(",").map((pair) => pair.split(":")));
  let lastId = null; // an id, not the element: htmx replaces the card after each coding
  document.addEventListener("focusin", (event) => {
    const card = event.target.closest && event.target.closest(".note-card");
    if (card) lastId = card.id;
  });
  document.addEventListener("selectionchange", () => {
    const node = document.getSelection().anchorNode;
    const card = node && (node.nodeType === 1 ? node : node.parentElement).closest(".note-card");
    if (card) lastId = card.id;
  });
  document.addEventListener("keydown", (event) => {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "u") { document.getElementById("undo-form").submit(); return; }
    const code = codes[event.key];
    const card = lastId && document.getElementById(lastId);
    if (!code || !card) return;
    const form = card.querySelector(".code-form");
    form.elements.code.value = code;
    event.preventDefault();
    form.requestSubmit();
  });
})();
