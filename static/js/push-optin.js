/*
 * Push notifications on this device: the opt-in on /akun/ (templates/accounts/account.html,
 * shown only while the server has VAPID keys).
 *
 * Needs the service worker (/sw.js, registered by static/js/pwa.js), whose push.js module
 * shows the notifications. The button appears once `navigator.serviceWorker.ready` gives
 * the registration and turns push on or off for this browser:
 *  - on: ask for permission, PushManager.subscribe() with the server's VAPID key, then POST
 *    the subscription to /api/v1/me/push/subscribe/ (the session cookie and the page's
 *    CSRF token);
 *  - off: POST its endpoint to /api/v1/me/push/unsubscribe/, then unsubscribe the browser.
 * Push counts as on only when the browser has a subscription and the server knows it (the
 * page lists the SHA-256 of the endpoints the server has): one the server dropped (the push
 * service said it expired) shows as off, and turning it on sends it again.
 * Every user-facing text comes translated from data-msg-* attributes. No inline scripts or
 * styles: the CSP forbids both.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-push-optin]");
  if (!root) {
    return;
  }
  var form = root.querySelector("[data-push-form]");
  var button = root.querySelector("[data-push-toggle]");
  var status = root.querySelector("[data-push-status]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var known = (root.dataset.endpointDigests || "").split(" ").filter(Boolean);
  var registration = null;
  var isOn = false;

  function say(text, ok) {
    status.textContent = text;
    status.classList.toggle("status--ok", !!ok);
    status.classList.toggle("status--pending", !ok);
  }

  function show(on) {
    isOn = on;
    button.textContent = on ? root.dataset.msgTurnOff : root.dataset.msgTurnOn;
    button.disabled = false;
    say(on ? root.dataset.msgOn : root.dataset.msgOff, on);
    form.hidden = false;
  }

  function supported() {
    return (
      window.isSecureContext &&
      "serviceWorker" in navigator &&
      "PushManager" in window &&
      "Notification" in window &&
      window.crypto &&
      window.crypto.subtle
    );
  }

  // The VAPID key as PushManager.subscribe() takes it (base64url → bytes).
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice(0, (4 - (base64.length % 4)) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function digest(text) {
    return window.crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(text))
      .then(function (buffer) {
        return Array.prototype.map
          .call(new Uint8Array(buffer), function (byte) {
            return ("0" + byte.toString(16)).slice(-2);
          })
          .join("");
      });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfInput ? csrfInput.value : ""
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("push " + url + " answered " + response.status);
      }
      return response;
    });
  }

  function deviceLabel() {
    var data = navigator.userAgentData;
    if (data && data.brands && data.platform) {
      var brand = data.brands.filter(function (b) {
        return !/Not.?A.?Brand|Chromium/i.test(b.brand);
      })[0];
      return ((brand ? brand.brand + " " : "") + "(" + data.platform + ")").slice(0, 100);
    }
    return "";
  }

  function turnOn() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        show(false); // dismissed: still off, ask again on the next tap
        if (permission === "denied") {
          say(root.dataset.msgDenied, false);
        }
        return;
      }
      return registration.pushManager
        .getSubscription()
        .then(function (existing) {
          return (
            existing ||
            registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(root.dataset.publicKey)
            })
          );
        })
        .then(function (subscription) {
          var body = subscription.toJSON();
          body.device_label = deviceLabel();
          return post(root.dataset.subscribeUrl, body).then(function () {
            return digest(subscription.endpoint);
          });
        })
        .then(function (hex) {
          known.push(hex);
          show(true);
        });
    });
  }

  function turnOff() {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) {
        show(false);
        return;
      }
      return post(root.dataset.unsubscribeUrl, { endpoint: subscription.endpoint })
        .then(function () {
          return subscription.unsubscribe();
        })
        .then(function () {
          show(false);
        });
    });
  }

  function refresh() {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription || Notification.permission !== "granted") {
        show(false);
        if (Notification.permission === "denied") {
          say(root.dataset.msgDenied, false);
        }
        return;
      }
      return digest(subscription.endpoint).then(function (hex) {
        show(known.indexOf(hex) !== -1);
      });
    });
  }

  if (!supported()) {
    say(root.dataset.msgUnsupported, false);
    return;
  }
  // Until the service worker is ready (it may never be, if the browser refused it).
  say(root.dataset.msgOff, false);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!registration || button.disabled) {
      return;
    }
    button.disabled = true;
    say(root.dataset.msgWorking, false);
    (isOn ? turnOff() : turnOn()).catch(function (error) {
      if (window.console) {
        window.console.warn(error);
      }
      say(root.dataset.msgFailed, false);
      button.disabled = false;
    });
  });

  navigator.serviceWorker.ready.then(function (ready) {
    registration = ready;
    return refresh();
  });
})();
