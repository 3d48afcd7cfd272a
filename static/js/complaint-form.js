/*
 * The citizen's complaint forms (templates/complaints/file.html, mine_detail.html, filed.html).
 *
 * Progressive enhancement only: every form works without this file. With it:
 *  - the description shows how many characters are left (the server enforces the limit);
 *  - a date more than 30 days ago shows the UU 25/2009 warning at once;
 *  - each photo is first made smaller on the phone (at most PHOTO_MAX_SIDE pixels on its
 *    long side, a JPEG drawn upright), then uploaded as soon as it is chosen
 *    (complaints:photo_upload), one at a time, and comes back as a thumbnail with its hidden
 *    photo_ids input; "Hapus" takes it off without reloading the page;
 *  - on /lapor/ (a photo field with data-offline-owner), a photo chosen without signal is
 *    kept on the phone (static/js/offline-store.js) and goes with the complaint later
 *    (static/js/offline-filing.js);
 *  - the tracking number can be copied with one tap.
 * Every user-facing text comes translated from data-msg-* attributes. No inline scripts or
 * styles: the CSP forbids both.
 */
(function () {
  "use strict";

  var LIVE_DELAY_MS = 800; // screen readers hear the count once typing pauses
  // Sharp enough to read a sign or a house number; a phone's 12-megapixel photo shrinks from
  // several megabytes to a few hundred kilobytes. The server keeps no more either
  // (complaints/images.py, IMAGE_MAX_SIDE), and its own limits still apply.
  var PHOTO_MAX_SIDE = 1600;
  var PHOTO_QUALITY = 0.85;

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

  PhotoField.prototype.upload = function (chosen) {
    var self = this;
    if (this.count() >= this.limit) {
      this.showErrorText(format(this.data.msgLimit, { name: chosen.name }));
      return Promise.resolve();
    }
    this.pending += 1;
    this.say(format(this.data.msgUploading, { name: chosen.name }));
    return shrinkPhoto(chosen)
      .then(function (file) {
        if (self.keepsOffline() && navigator.onLine === false) {
          return self.keepLocal(file);
        }
        return self.send(file);
      })
      .then(function () {
        self.pending -= 1;
      });
  };

  // Photos can wait on the phone only where the page sends them later (/lapor/).
  PhotoField.prototype.keepsOffline = function () {
    return Boolean(this.data.offlineOwner && window.SikesalOffline && window.indexedDB);
  };

  PhotoField.prototype.keepLocal = function (file) {
    var self = this;
    return window.SikesalOffline.photos.add(this.data.offlineOwner, file, file.name).then(
      function (record) {
        self.list.appendChild(localPhotoItem(record, self.data));
        self.say(format(self.data.msgKept, { name: file.name }));
      },
      function () {
        self.showErrorText(format(self.data.msgFailed, { name: file.name }));
        self.say("");
      }
    );
  };

  PhotoField.prototype.send = function (file) {
    var self = this;
    var body = new FormData();
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("photo", file, file.name);
    this.list.querySelectorAll("input[name=photo_ids]").forEach(function (input) {
      body.append("photo_ids", input.value);
    });
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
            self.previewPending(file);
            self.say(format(self.data.msgUploaded, { name: file.name }));
          } else if (response.status === 400) {
            self.showError(html);
            self.say("");
          } else {
            throw new Error("HTTP " + response.status);
          }
        });
      })
      .catch(function (error) {
        if ((error instanceof TypeError || navigator.onLine === false) && self.keepsOffline()) {
          // No answer at all: the network, not the photo. Keep it for the complaint.
          return self.keepLocal(file);
        }
        self.showErrorText(format(self.data.msgFailed, { name: file.name }));
        self.say("");
      });
  };

  // The server re-encodes a photo in the background and shows none before: meanwhile the
  // new item shows the citizen's own file, from this phone.
  PhotoField.prototype.previewPending = function (file) {
    var items = this.list.querySelectorAll("[data-photo-item]");
    var pending = items.length ? items[items.length - 1].querySelector(".photo-pending") : null;
    if (pending && window.URL && URL.createObjectURL) {
      pending.parentNode.replaceChild(
        thumbnail(URL.createObjectURL(file), file.name, this.data),
        pending
      );
    }
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
      if (item.dataset.localPhoto && window.SikesalOffline) {
        window.SikesalOffline.photos.remove(item.dataset.localPhoto);
      }
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

  // --- making photos smaller on the phone ---------------------------------------------------

  function jpegName(name) {
    return (name || "foto").replace(/\.[^.\/]*$/, "") + ".jpg";
  }

  /*
   * `file`, or a JPEG of it at most PHOTO_MAX_SIDE pixels on its long side. The picture is
   * decoded upright (its EXIF orientation applied), so the smaller copy needs none. Anything
   * the browser cannot decode goes as it is, for the server to judge.
   */
  function shrinkPhoto(file) {
    if (!window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var longSide = Math.max(bitmap.width, bitmap.height);
        if (longSide <= PHOTO_MAX_SIDE) {
          bitmap.close();
          return file;
        }
        var scale = PHOTO_MAX_SIDE / longSide;
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        var context = canvas.getContext("2d");
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        bitmap.close();
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              resolve(
                blob ? new File([blob], jpegName(file.name), { type: "image/jpeg" }) : file
              );
            },
            "image/jpeg",
            PHOTO_QUALITY
          );
        });
      })
      .catch(function () {
        return file;
      });
  }

  // --- photo list items built here (photo_item.html is the server's) -----------------------

  function removeButton(name, data) {
    var button = document.createElement("button");
    button.className = "button button--secondary button--small";
    button.type = "button";
    button.setAttribute("data-remove-photo", "");
    button.textContent = data.msgRemove;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + format(data.msgRemoveName, { name: name });
    button.appendChild(hidden);
    return button;
  }

  function thumbnail(src, name, data) {
    var image = document.createElement("img");
    image.className = "photo-thumb";
    image.src = src;
    image.alt = format(data.msgPhotoAlt, { name: name });
    image.width = 96;
    image.height = 96;
    return image;
  }

  // A photo kept on the phone: {id, name, blob} from SikesalOffline.photos.
  function localPhotoItem(record, data) {
    var item = document.createElement("li");
    item.className = "photo-item photo-item--local";
    item.setAttribute("data-photo-item", "");
    item.dataset.localPhoto = record.id;
    item.appendChild(thumbnail(URL.createObjectURL(record.blob), record.name, data));
    var note = document.createElement("span");
    note.className = "photo-item__note";
    note.textContent = data.msgLocal;
    item.appendChild(note);
    item.appendChild(removeButton(record.name, data));
    return item;
  }

  // A photo staged on the server before: {id, thumbnailUrl, name}.
  function stagedPhotoItem(photo, data) {
    var item = document.createElement("li");
    item.className = "photo-item";
    item.setAttribute("data-photo-item", "");
    item.appendChild(thumbnail(photo.thumbnailUrl, photo.name, data));
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "photo_ids";
    input.value = String(photo.id);
    item.appendChild(input);
    item.appendChild(removeButton(photo.name, data));
    return item;
  }

  // For static/js/offline-filing.js, which puts a draft's photos back into the form.
  window.SikesalPhotos = {
    shrink: shrinkPhoto,
    localItem: localPhotoItem,
    stagedItem: stagedPhotoItem
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
