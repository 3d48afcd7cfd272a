/*
 * The service worker's part of filing without signal (imported by /sw.js with the other
 * modules of static/js/sw/): Background Sync sends the outbox that /lapor/ filled
 * (static/js/offline-store.js) once the phone has signal again, even with the app closed.
 * Open pages are told what changed, so they show the tracking number at once.
 *
 * No `fetch` listener here: fetching belongs to the service worker's own code.
 */
/* global SikesalOffline, CONFIG */
(function () {
  "use strict";

  // Relative URLs would resolve against /sw.js: ask for the static prefix /sw.js was
  // rendered with, else settings.STATIC_URL's default. The unhashed name is served too.
  if (!self.SikesalOffline) {
    var prefix = (typeof CONFIG !== "undefined" && CONFIG.staticPrefix) || "/static/";
    importScripts(prefix + "js/offline-store.js");
  }

  function tellPages(result) {
    return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(
      function (pages) {
        pages.forEach(function (page) {
          page.postMessage({
            type: SikesalOffline.MESSAGE_TYPE,
            changed: result.changed.map(function (entry) {
              return entry.id;
            })
          });
        });
      }
    );
  }

  function sendOutbox() {
    return SikesalOffline.flush({}).then(function (result) {
      if (result.busy) {
        return undefined; // a page is sending it right now
      }
      return tellPages(result).then(function () {
        if (result.offline) {
          // Still no way through: failing the sync makes the browser try it again later.
          throw new Error("SIKESAL outbox: still offline");
        }
      });
    });
  }

  self.addEventListener("sync", function (event) {
    if (event.tag === SikesalOffline.SYNC_TAG) {
      event.waitUntil(sendOutbox());
    }
  });

  // A page can ask the worker to send (e.g. as it is being closed).
  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === SikesalOffline.MESSAGE_TYPE + ":send") {
      event.waitUntil(sendOutbox().catch(function () {}));
    }
  });
})();
