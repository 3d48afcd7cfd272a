/*
 * The phone app's page side (templates/pwa/head.html loads it, deferred, on every page):
 *  - registers the service worker (/sw.js, root scope);
 *  - shows the "Pasang aplikasi" button (templates/pwa/install_button.html) only when the
 *    browser offers to install the app (beforeinstallprompt), and asks it on a tap;
 *  - tells the service worker to forget the pages it kept when someone signs out, so the
 *    next person on a shared phone cannot open them offline.
 * No inline scripts: the CSP forbids them.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var logoutPath = new URL(script.dataset.logout, location.href).pathname;

  navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(function () {
    // No service worker (private mode, an old browser): the site works as a website.
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (new URL(form.action, location.href).pathname !== logoutPath) return;
      var worker = navigator.serviceWorker.controller;
      if (worker) worker.postMessage({ type: "sikesal:forget-pages" });
    },
    true,
  );

  var offer = null;

  function installBoxes() {
    return document.querySelectorAll("[data-pwa-install]");
  }

  function showInstall(visible) {
    installBoxes().forEach(function (box) {
      box.hidden = !visible;
    });
  }

  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault(); // our button asks, not the browser's mini bar
    offer = event;
    showInstall(true);
  });

  window.addEventListener("appinstalled", function () {
    offer = null;
    showInstall(false);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pwa-install] button");
    if (!button || !offer) return;
    var asked = offer;
    offer = null;
    asked.prompt();
    asked.userChoice.then(function () {
      showInstall(false);
    });
  });
})();
