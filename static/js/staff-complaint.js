/*
 * The staff complaint page's action bar (templates/staff/complaint_detail.html).
 *
 * Without this file each link of the bar loads the page again with ?tindakan=<action>,
 * which renders that action's form open. With it, a tap opens the form in place (no
 * reload, nothing typed elsewhere is lost), brings it into view and moves the focus to it.
 */
(function () {
  "use strict";

  function openAction(link) {
    var panel = document.getElementById("action-" + link.dataset.action);
    if (!panel || panel.tagName !== "DETAILS") {
      return false; // let the link load the page
    }
    panel.open = true;
    panel.scrollIntoView({ block: "start" });
    var summary = panel.querySelector("summary");
    if (summary) {
      summary.focus({ preventScroll: true });
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + panel.id);
    }
    return true;
  }

  var bar = document.querySelector("[data-staff-actionbar]");
  if (!bar) {
    return;
  }
  bar.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-action]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && openAction(link)) {
      event.preventDefault();
    }
  });
})();
