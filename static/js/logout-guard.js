/* What this browser keeps once nobody is signed in, and the sign-out button's warning.
 *
 * When the server says signed out (a page rendered for nobody, such as the login page after a session
 * ended; a 401 to the runner's notes or to htmx), the browser forgets the service worker's Cache
 * Storage (the runner page, which holds students' first names and every sent note), its own
 * empathy.* storage and the service worker itself. It keeps only the writes not yet sent
 * (empathy.queue.* and empathy.failed.*): note text, a student's id and the step, never a name. They
 * go to the server the next time someone who may take notes in that session opens its runner, as the
 * note protocol promises (ARCHITECTURE.md, "Unsent writes wait in browser storage").
 * The sign-out button asks first when writes are waiting, and forgets those too if the person agrees.
 * Background requests (htmx polling) carry X-Background: 1 so that they do not count as activity. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (/jsi18n/, loaded before this script); English without it.
  const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
  const interpolate = window.interpolate
    || ((format, values) => format.replace(/%\((\w+)\)s/g, (match, name) => String(values[name])));
  function formatNumber(value) {
    try { return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value); }
    catch (error) { return String(value); }
  }
  const TEXT = {
    unsentOnSignOut: (count) => interpolate(ngettext(
      "%(count)s note is not saved yet. If you sign out now it is lost. Sign out anyway?",
      "%(count)s notes are not saved yet. If you sign out now they are lost. Sign out anyway?",
      count), { count: formatNumber(count) }, true),
  };
  const UNSENT = /^empathy\.(queue|failed)\./;

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

  function forget(options) {
    const keepUnsent = !options || options.keepUnsent !== false;
    [localStorage, sessionStorage].forEach((store) => {
      Object.keys(store).filter((key) => key.startsWith("empathy.") && !(keepUnsent && UNSENT.test(key)))
        .forEach((key) => store.removeItem(key));
    });
    const done = [];
    if (window.caches) {
      done.push(caches.keys().then((keys) => Promise.all(keys.filter((key) => key.startsWith("empathy-"))
        .map((key) => caches.delete(key)))));
    }
    if (navigator.serviceWorker) {
      done.push(navigator.serviceWorker.getRegistrations()
        .then((registrations) => Promise.all(registrations.map((registration) => registration.unregister()))));
    }
    if (window.indexedDB && indexedDB.databases) {
      done.push(indexedDB.databases().then((databases) => databases
        .filter((database) => (database.name || "").startsWith("empathy"))
        .forEach((database) => indexedDB.deleteDatabase(database.name))));
    }
    return Promise.all(done).catch(() => {});
  }
  window.EmpathyBrowser = { forget };

  // Every page of ours shows the sign-out form to a signed-in person only: without it, nobody is.
  const signOutForms = document.querySelectorAll("form[data-logout]");
  if (!signOutForms.length) forget({ keepUnsent: true });

  signOutForms.forEach((form) => {
    form.addEventListener("submit", (event) => {
      const count = waiting();
      if (count && !window.confirm(TEXT.unsentOnSignOut(count))) {
        event.preventDefault();
        return;
      }
      forget({ keepUnsent: false });
    });
  });

  document.addEventListener("htmx:configRequest", (event) => {
    const trigger = (event.detail.elt && event.detail.elt.getAttribute && event.detail.elt.getAttribute("hx-trigger")) || "";
    if (/\bevery\b/.test(trigger)) event.detail.headers["X-Background"] = "1";
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 401) forget({ keepUnsent: true });
  });
})();
