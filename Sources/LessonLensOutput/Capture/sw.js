// The capture page's service worker (`lessonlens serve`): the page and its
// manifest are kept on the phone, so that /capture opens and records with
// the server out of reach; lessons wait in the page's own queue.
"use strict";
var CACHE = "lessonlens-capture-v1";
var KEPT = ["/capture", "/manifest.webmanifest", "/icon.svg"];
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(KEPT); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || KEPT.indexOf(url.pathname) < 0) return;
  // The network first (the page may be newer), the kept copy when it fails.
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); }); }
    return response;
  }).catch(function () { return caches.match(url.pathname); }));
});
