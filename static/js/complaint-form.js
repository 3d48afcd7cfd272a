/*
 * The citizen's complaint forms (templates/complaints/file.html, mine_detail.html, filed.html).
 *
 * Progressive enhancement only: every form works without this file. With it:
 *  - the description shows how many characters are left (the server enforces the limit);
 *  - a date more than 30 days ago shows the UU 25/2009 warning at once;
 *  - each photo is uploaded as soon as it is chosen (complaints:photo_upload), one at a
 *    time, and comes back as a thumbnail with its hidden photo_ids input; "Hapus" takes it
 *    off without reloading the page;
 *  - the tracking number can be copied with one tap.
 * Every user-facing text comes translated from data-msg-* attributes. No inline scripts or
 * styles: the CSP forbids both.
 */
(function () {
  "use strict";

  var LIVE_DELAY_MS = 800; // screen readers hear the count once typing pauses

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function formatNumber(value) {
    try {
      return value.toLocaleString(document.documentElement.lang || "id");
    } catch (error) {
      return String(value);
    }
  }

  // --- character counter -------------------------------------------------------------------

  function startCounter(root) {
    var textarea = root.querySelector("textarea");
    var message = root.querySelector("[data-char-count-message]");
    var live = root.querySelector("[data-char-count-live]");
    var limit = parseInt(root.dataset.limit, 10);
    if (!textarea || !message || !isFinite(limit)) {
      return;
    }
    var timer = null;
    function update() {
      // The browser's value has \n line breaks, as the server counts them.
      var left = limit - textarea.value.length;
      var text = format(left >= 0 ? root.dataset.msgLeft : root.dataset.msgOver, {
        count: formatNumber(Math.abs(left))
      });
      message.textContent = text;
      message.classList.toggle("char-count__message--over", left < 0);
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (live) {
          live.textContent = text;
        }
      }, LIVE_DELAY_MS);
    }
    textarea.addEventListener("input", update);
    update();
  }

  // --- late event date --------------------------------------------------------------------

  function startLateWarning(input) {
    var field = input.closest(".field");
    var warning = field && field.querySelector("[data-late-warning]");
    if (!warning) {
      return;
    }
    function update() {
      // ISO dates (the value of <input type=date>) compare as strings.
      var value = input.value;
      var isoDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
      warning.hidden = !(isoDate && value < input.dataset.lateBefore);
    }
    input.addEventListener("change", update);
    input.addEventListener("input", update);
  }

  // --- photos -----------------------------------------------------------------------------

  function PhotoField(root) {
    this.root = root;
    this.data = root.dataset;
    this.form = root.closest("form");
    this.input = root.querySelector("input[type=file]");
    this.list = root.querySelector("[data-photo-list]");
    this.errors = root.querySelector("[data-photo-errors]");
    this.status = root.querySelector("[data-photo-status]");
    this.limit = parseInt(this.data.limit, 10) || 5;
    this.pending = 0;
  }

  PhotoField.prototype.start = function () {
    if (!this.form || !this.input || !this.list || !window.fetch || !window.FormData) {
      return; // the files go with the form, as without JavaScript
    }
    var uploadButton = this.root.querySelector("[data-photo-upload-button]");
    if (uploadButton) {
      uploadButton.hidden = true;
    }
    this.input.addEventListener("change", this.onChoose.bind(this));
    this.list.addEventListener("click", this.onRemove.bind(this));
    this.form.addEventListener("submit", this.onSubmit.bind(this));
  };

  PhotoField.prototype.count = function () {
    return this.list.querySelectorAll("[data-photo-item]").length;
  };

  PhotoField.prototype.say = function (text) {
    this.status.textContent = text;
  };

  PhotoField.prototype.showError = function (html) {
    this.errors.insertAdjacentHTML("beforeend", html);
    this.root.classList.add("field--error");
  };

  PhotoField.prototype.showErrorText = function (text) {
    var item = document.createElement("li");
    item.textContent = text;
    this.errors.appendChild(item);
    this.root.classList.add("field--error");
  };

  PhotoField.prototype.onChoose = function () {
    var files = Array.prototype.slice.call(this.input.files || []);
    // Taken in hand: the input is emptied so the form does not send the files a second time.
    this.input.value = "";
    this.errors.textContent = "";
    this.root.classList.remove("field--error");
    var self = this;
    var chain = Promise.resolve();
    files.forEach(function (file) {
      chain = chain.then(function () {
        return self.upload(file);
      });
    });
  };

  PhotoField.prototype.upload = function (file) {
    var self = this;
    if (this.count() >= this.limit) {
      this.showErrorText(format(this.data.msgLimit, { name: file.name }));
      return Promise.resolve();
    }
    var body = new FormData();
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("photo", file, file.name);
    this.list.querySelectorAll("input[name=photo_ids]").forEach(function (input) {
      body.append("photo_ids", input.value);
    });
    this.pending += 1;
    this.say(format(this.data.msgUploading, { name: file.name }));
    return fetch(this.data.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    })
      .then(function (response) {
        if (response.redirected) {
          // Signed out meanwhile: the answer is the login page, not a photo.
          throw new Error("redirected to " + response.url);
        }
        return response.text().then(function (html) {
          if (response.ok) {
            self.list.insertAdjacentHTML("beforeend", html);
            self.say(format(self.data.msgUploaded, { name: file.name }));
          } else if (response.status === 400) {
            self.showError(html);
            self.say("");
          } else {
            throw new Error("HTTP " + response.status);
          }
        });
      })
      .catch(function () {
        self.showErrorText(format(self.data.msgFailed, { name: file.name }));
        self.say("");
      })
      .then(function () {
        self.pending -= 1;
      });
  };

  PhotoField.prototype.onRemove = function (event) {
    var button = event.target.closest("[data-remove-photo]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var item = button.closest("[data-photo-item]");
    if (item) {
      item.parentNode.removeChild(item);
    }
    this.say(this.data.msgRemoved);
    this.input.focus();
  };

  PhotoField.prototype.onSubmit = function (event) {
    if (this.pending > 0) {
      event.preventDefault();
      this.say(this.data.msgWait);
    }
  };

  // --- copying the tracking number ---------------------------------------------------------

  function startCopy(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector("[data-copy-status]");
    if (!target || !navigator.clipboard || !window.isSecureContext) {
      return; // the number stays selectable with one tap (user-select: all)
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          if (status) {
            status.textContent = button.dataset.msgCopied;
          }
        },
        function () {
          if (status) {
            status.textContent = button.dataset.msgCopyFailed;
          }
        }
      );
    });
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll("[data-char-count]").forEach(startCounter);
    document.querySelectorAll("input[data-late-before]").forEach(startLateWarning);
    document.querySelectorAll("[data-photo-field]").forEach(function (root) {
      new PhotoField(root).start();
    });
    document.querySelectorAll("[data-copy-target]").forEach(startCopy);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
