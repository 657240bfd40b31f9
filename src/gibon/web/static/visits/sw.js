// gibon: the visiting professional's day stays readable without a connection.
// Network first for the day page and its assets; the last good copy when offline.
// Actions are not cached here: the page queues them (today.js) and sends them when online.
const CACHE = "gibon-visits-day-v1";
const PRECACHE = ["/visits/today", "/static/gibon.css", "/static/visits/today.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).catch(() => undefined)
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))
    ).then(() => self.clients.claim())
  );
});

function cacheable(url) {
  return url.origin === self.location.origin &&
    (url.pathname === "/visits/today" || url.pathname.startsWith("/static/"));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !cacheable(url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request).then((hit) => hit || caches.match("/visits/today"))
      )
  );
});
