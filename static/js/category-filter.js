/*
 * /lapor/: the filter over the "Kategori lain" radio buttons. Without this script the
 * filter stays hidden and the list is a plain list of radio buttons. Texts come from the
 * template's data-msg-* attributes (translated there).
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function start(root) {
    var input = root.querySelector("[data-category-filter-input]");
    var status = root.querySelector("[data-category-filter-status]");
    var list = root.parentElement.querySelector("[data-category-filter-list]");
    if (!input || !list) {
      return;
    }
    var choices = Array.prototype.slice.call(list.querySelectorAll("[data-category-choice]"));
    root.hidden = false;

    function apply() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      choices.forEach(function (choice) {
        var text = normalise(choice.getAttribute("data-search") || "");
        var match = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        // A chosen category stays visible, so the choice never disappears from view.
        var keep = match || choice.querySelector("input").checked;
        choice.hidden = !keep;
        if (keep) {
          shown += 1;
        }
      });
      status.textContent = shown === 0 ? root.getAttribute("data-msg-none") : "";
    }

    input.addEventListener("input", apply);
    // Enter in the filter must not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-category-filter]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
