// Service worker for the session runner: the runner page and its assets open without a network.
// Pages: network first, cached copy when offline. Assets: cache first. Writes are never cached.
// A runner page sent with "Cache-Control: no-store" (a shared computer) is never kept, and an answer that
// is not the page (a redirect to sign in, a refusal) removes the copy: no names once signed out.
// The pages themselves (static/js/logout-guard.js) empty this cache and unregister this worker when
// the server says nobody is signed in.
const CACHE = "empathy-runner-v1";
const ASSETS = {{ assets|safe }};
const RUNNER_PATH = /^\/programs\/[^/]+\/sessions\/\d+\/run\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
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
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached || fetch(request)));
  }
});
