// Service worker for the session runner: the runner page and its assets open without a network.
// Pages: network first, cached copy when offline. Assets: cache first. Writes are never cached.
// A runner page sent with "Cache-Control: no-store" (a shared computer) is never kept, and an answer that
// is not the page (a redirect to sign in, a refusal) removes the copy: no names once signed out.
// The pages themselves (static/js/logout-guard.js) empty this cache and unregister this worker when
// the server says nobody is signed in.
// The runner's words come from Django's JavaScript catalogue, which answers in the person's language:
// it is kept once per language (the answer's Content-Language), network first, so that a runner page
// opened offline gets the words of the language it was served in. Without it runner.js writes English.
const CACHE = "empathy-runner-v1";
const ASSETS = {{ assets|safe }};
const CATALOGUE = {{ catalogue|safe }};
const RUNNER_PATH = /^\/programs\/[^/]+\/sessions\/\d+\/run\/$/;

function catalogueKey(language) {
  return CATALOGUE + "?language=" + encodeURIComponent(language || "");
}

function keepCatalogue(response) {
  if (!response.ok || response.redirected) return Promise.resolve();
  return caches.open(CACHE).then((cache) => cache.put(catalogueKey(response.headers.get("Content-Language")), response));
}

function pathOf(address) {
  try { return new URL(address).pathname; } catch (error) { return ""; }
}

async function keptCatalogue(request) {
  // The catalogue in the language of the runner page that asks (as kept), else any one kept.
  if (!(await caches.has(CACHE))) return Response.error();
  const cache = await caches.open(CACHE);
  const page = RUNNER_PATH.test(pathOf(request.referrer)) ? await cache.match(pathOf(request.referrer)) : null;
  const language = page && page.headers.get("Content-Language");
  const found = language && (await cache.match(catalogueKey(language)));
  if (found) return found;
  const kept = (await cache.keys()).find((key) => pathOf(key.url) === CATALOGUE);
  return (kept && (await cache.match(kept))) || Response.error();
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(ASSETS))
    // Registered from a runner page: the catalogue in that page's language (same cookies, same session).
    .then(() => fetch(CATALOGUE, { credentials: "same-origin" }).then(keepCatalogue).catch(() => {}))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function keepable(response) {
  return response.ok && !response.redirected && !/no-store/.test(response.headers.get("Cache-Control") || "");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (RUNNER_PATH.test(url.pathname) && request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (keepable(response)) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
          } else if (response.status < 500) {
            event.waitUntil(caches.has(CACHE).then((kept) => kept && caches.open(CACHE).then((cache) => cache.delete(url.pathname))));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((cached) => cached || Response.error()))
    );
    return;
  }
  if (url.pathname === CATALOGUE) {
    // Only a runner page's: the sign-in page, which empties this cache, must not fill it again.
    if (!RUNNER_PATH.test(pathOf(request.referrer))) return;
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(keepCatalogue(response.clone()));
          return response;
        })
        .catch(() => keptCatalogue(request))
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached || fetch(request)));
  }
});
