{% autoescape off %}/* SIKESAL's service worker, served at /sw.js by sikesal/pwa/views.py (root scope).

Owns `fetch`: static files cache-first, pages network-first, falling back to the kept copy
and else to the offline page. The modules of static/js/sw/ add their own listeners (push,
sync, ...) and never handle fetch.

Never cached: /api/, /staf/, /admin/, /akun/ and any response with Cache-Control: no-store.
Pages are kept per viewer (the X-Sikesal-Viewer header the server puts on every page): a
page rendered for someone else, or a logout, deletes the pages kept for the last one, and
offline a kept page is shown only while the viewer cookie still names its viewer.
*/
"use strict";

const CONFIG = {{ config }};
const VERSION = CONFIG.version;
const OWN = "sikesal-";
const CURRENT = `${OWN}${VERSION}-`;
const STATIC_CACHE = `${CURRENT}static`;
const PAGES = `${CURRENT}pages-`;
const PAGE_LIMIT = 50;

if (CONFIG.modules.length) importScripts(...CONFIG.modules);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(OWN) && !name.startsWith(CURRENT))
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sikesal:forget-pages") {
    event.waitUntil(forgetPages(null));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.neverCached.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  }
});

/* The installed app opens start_url (/?source=pwa): the same page as without the marker. */
function pageKey(address) {
  const url = new URL(address);
  url.searchParams.delete("source");
  url.hash = "";
  return url.href;
}

function storable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/(^|,)\s*no-store\s*(,|$)/i.test(control)
  );
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (storable(response)) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(event) {
  const request = event.request;
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    return (
      (await keptPage(pageKey(request.url))) ||
      (await caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE })) ||
      Response.error()
    );
  }
  event.waitUntil(keepPage(pageKey(request.url), response.clone()));
  return response;
}

async function keepPage(url, response) {
  const viewer = response.headers.get(CONFIG.viewerHeader);
  if (!viewer || !/^[0-9a-f]+$/.test(viewer)) return;
  await forgetPages(viewer);
  if (!storable(response)) return;
  const cache = await caches.open(PAGES + viewer);
  await cache.put(url, response);
  const urls = await cache.keys();
  // Keys come in the order they were stored: the oldest go first.
  await Promise.all(urls.slice(0, Math.max(0, urls.length - PAGE_LIMIT)).map((key) => cache.delete(key)));
}

/* Delete the kept pages of every viewer but `viewer` (of everyone when it is null). */
async function forgetPages(viewer) {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(OWN) && name.includes("-pages-") && name !== PAGES + viewer)
      .map((name) => caches.delete(name)),
  );
}

/* Who is looking now, as far as the phone knows without the network: the viewer cookie the
   server set with the last page (read through cookieStore where the browser has it), or
   else the viewer of the only pages kept. */
async function currentViewer() {
  if (self.cookieStore) {
    try {
      const cookie = await self.cookieStore.get(CONFIG.viewerCookie);
      return cookie ? cookie.value : CONFIG.anonymousViewer;
    } catch (unreadable) {
      // Fall through to what the caches say.
    }
  }
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES));
  return names.length === 1 ? names[0].slice(PAGES.length) : null;
}

async function keptPage(url) {
  const viewer = await currentViewer();
  if (!viewer || !(await caches.has(PAGES + viewer))) return undefined;
  const cache = await caches.open(PAGES + viewer);
  return cache.match(url, { ignoreVary: true });
}
{% endautoescape %}
