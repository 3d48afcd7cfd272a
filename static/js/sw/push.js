/*
 * Web Push in the service worker: imported by /sw.js (templates/pwa/service-worker.js imports every file
 * of static/js/sw/), so it runs with the worker's scope, `self`.
 *
 *  - push: the server's payload (sikesal/notifications/push.py: title, body, url, icon, tag)
 *    becomes a notification. The icon is the page's static URL of the app icon, sent in the
 *    payload; the tag is the notification's, so a push delivered twice shows once.
 *  - notificationclick: focus a SIKESAL window already showing that page, else open it.
 *    Only our own pages: any other address opens the home page.
 *  - message "sikesal:forget-pages" (static/js/pwa.js sends it when someone signs out):
 *    end this browser's push subscription too, so that the next person on a shared phone
 *    is not shown the last one's notifications. The push service then answers 410 for it,
 *    and the server deletes it.
 *
 * No fetch handler here: fetch belongs to templates/pwa/service-worker.js.
 */
(function () {
  "use strict";

  var FALLBACK_ICON = "/static/pwa/icon-192.png";

  function payloadOf(event) {
    if (!event.data) {
      return {};
    }
    try {
      return event.data.json() || {};
    } catch (error) {
      return { body: event.data.text() };
    }
  }

  function ownUrl(url) {
    var target;
    try {
      target = new URL(url || "/", self.location.origin);
    } catch (error) {
      target = new URL("/", self.location.origin);
    }
    if (target.origin !== self.location.origin) {
      target = new URL("/", self.location.origin);
    }
    return target.href;
  }

  self.addEventListener("push", function (event) {
    var data = payloadOf(event);
    var options = {
      body: data.body || "",
      icon: data.icon || FALLBACK_ICON,
      badge: data.icon || FALLBACK_ICON,
      data: { url: ownUrl(data.url) }
    };
    if (data.tag) {
      options.tag = data.tag;
    }
    event.waitUntil(self.registration.showNotification(data.title || "SIKESAL", options));
  });

  self.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "sikesal:forget-pages") {
      return;
    }
    event.waitUntil(
      self.registration.pushManager.getSubscription().then(function (subscription) {
        return subscription ? subscription.unsubscribe() : false;
      })
    );
  });

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var url = ownUrl(event.notification.data && event.notification.data.url);
    event.waitUntil(
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
        for (var i = 0; i < windows.length; i += 1) {
          if (windows[i].url === url && "focus" in windows[i]) {
            return windows[i].focus();
          }
        }
        return self.clients.openWindow ? self.clients.openWindow(url) : undefined;
      })
    );
  });
})();
