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
