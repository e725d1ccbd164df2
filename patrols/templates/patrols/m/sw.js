/* The grid worker's service worker (scope /m/). Version {{ version }}.
 * - static files: cache first (precached at install);
 * - shell pages (report, diary, patrol, outbox…): from the cache at once, refreshed behind;
 * - other /m/ pages: network first, the cached copy without signal, else the offline page;
 * - the full category tree: refreshed behind, so the sub-item search works offline.
 * Writes never pass through here: the pages' outbox (IndexedDB) sends them. */
"use strict";
var VERSION = "{{ version }}";
var CACHE = "gc-m-" + VERSION;
var STATIC = {{ static|safe }};
var PAGES = {{ pages|safe }};
var CATEGORIES = {{ categories|safe }};
var OFFLINE = PAGES[PAGES.length - 1];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(STATIC).then(function () {
        return Promise.all(PAGES.map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (response.ok && !response.redirected) return cache.put(url, response);
          }).catch(function () {});
        }));
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("gc-m-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  if (event.data === "clear") {
    event.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("gc-m-") === 0; })
        .map(function (key) { return caches.delete(key); }));
    }));
  }
});

function refresh(request, cache) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  });
}

function staleWhileRevalidate(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (cached) {
      var fresh = refresh(request, cache);
      if (cached) {
        fresh.catch(function () {});
        return cached;
      }
      return fresh.catch(function () { return cache.match(OFFLINE); });
    });
  });
}

function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return refresh(request, cache).catch(function () {
      return cache.match(request).then(function (cached) { return cached || cache.match(OFFLINE); });
    });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === CATEGORIES && !url.search) {
    event.respondWith(staleWhileRevalidate(request));
  } else if (request.mode === "navigate" && url.pathname.indexOf(PAGES[0]) === 0) {
    var shell = PAGES.indexOf(url.pathname) > 0;
    event.respondWith(shell ? staleWhileRevalidate(request) : networkFirst(request));
  }
});
