/* Signing out clears the note queue this browser keeps; first, say so if notes are unsent. */
(function () {
  "use strict";
  function waiting() {
    let count = 0;
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (key && key.startsWith("empathy.queue.")) {
        try { count += JSON.parse(localStorage.getItem(key) || "[]").length; } catch (error) { count += 1; }
      }
    }
    return count;
  }
  document.querySelectorAll("form[data-logout]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const count = waiting();
      if (count && !window.confirm(`${count} note(s) are not saved yet. If you sign out now they are lost. Sign out anyway?`)) {
        event.preventDefault();
        return;
      }
      Object.keys(localStorage).filter((key) => key.startsWith("empathy.")).forEach((key) => localStorage.removeItem(key));
      // The cached runner page holds names and notes: it goes too.
      if (window.caches) caches.delete("empathy-runner-v1");
    });
  });
})();
