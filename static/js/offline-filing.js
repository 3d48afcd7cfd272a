/*
 * Filing from a phone with no signal: /lapor/ and /saya/ (templates/complaints/partials/
 * outbox.html), over static/js/offline-store.js.
 *
 *  - /lapor/ keeps what is typed and the photos in IndexedDB as the citizen types, and
 *    puts it back when the page opens again (after closing the app, or a reboot), unless the
 *    server's own draft ("Simpan draf", shared with the API) is newer.
 *  - "Kirim pengaduan" goes through POST /api/v1/complaints/ with an Idempotency-Key made
 *    once, when the complaint is queued: without signal (or when the send fails for the
 *    network) it waits in the outbox, shown as "Menunggu sinyal", and is sent when the
 *    connection returns: Background Sync in the service worker (static/js/sw/outbox.js)
 *    where the browser has it, else on the `online` event and whenever a page with this
 *    script opens.
 *  - Filed: the tracking number is shown (the page that sent it goes to the usual "Pengaduan
 *    terkirim" page). Refused with the form's errors: the complaint comes back into the form
 *    with the errors shown. Signed out or unverified: it stays queued, and says what to do.
 *
 * Without JavaScript (or IndexedDB) the form posts to /lapor/ as before. Every text comes
 * translated from data-msg-* attributes; no inline scripts or styles (the CSP).
 */
(function () {
  "use strict";

  var store = window.SikesalOffline;
  var SAVE_DELAY_MS = 400;
  var DRAFT_FIELDS = [
    "report_type",
    "category",
    "title",
    "description",
    "event_date",
    "latitude",
    "longitude",
    "kelurahan",
    "address",
    "is_confidential",
    "is_anonymous"
  ];

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) {
      return Promise.resolve(false);
    }
    return navigator.serviceWorker.getRegistration().then(
      function (registration) {
        if (registration && registration.sync) {
          return registration.sync.register(store.SYNC_TAG).then(
            function () {
              return true;
            },
            function () {
              return false;
            }
          );
        }
        return false;
      },
      function () {
        return false;
      }
    );
  }

  // --- the outbox list (/lapor/ and /saya/) ----------------------------------------------

  function Outbox(root) {
    this.root = root;
    this.data = root.dataset;
    this.owner = this.data.owner;
    this.list = root.querySelector("[data-outbox-list]");
    this.notice = document.querySelector("[data-outbox-notice]");
    this.form = null; // the /lapor/ form, when this page has it
    this.flushing = null;
  }

  Outbox.prototype.say = function (text) {
    if (this.notice) {
      this.notice.textContent = text;
      this.notice.hidden = !text;
    }
  };

  Outbox.prototype.statusText = function (entry) {
    var S = store.STATUS;
    var data = this.data;
    switch (entry.status) {
      case S.FILED:
        return data.msgFiled;
      case S.SIGNED_OUT:
        return data.msgSignedOut;
      case S.OTHER_ACCOUNT:
        return data.msgOtherAccount;
      case S.UNVERIFIED:
        return data.msgUnverified;
      case S.REJECTED:
        return data.msgRejected;
      default:
        return data.msgWaiting;
    }
  };

  Outbox.prototype.renderEntry = function (entry) {
    var S = store.STATUS;
    var data = this.data;
    var item = element("li", "outbox-item outbox-item--" + entry.status);
    item.dataset.outboxEntry = entry.id;
    item.appendChild(element("p", "outbox-item__title", entry.title || data.msgUntitled));
    var status = element("p", "outbox-item__status");
    status.appendChild(element("strong", "", this.statusText(entry)));
    if (entry.status === S.FILED) {
      status.appendChild(document.createTextNode(" " + data.msgTracking + " "));
      var link = element("a", "tracking-code", entry.trackingNumber);
      link.href = data.mineUrl + encodeURIComponent(entry.trackingNumber) + "/";
      status.appendChild(link);
    } else {
      var photoCount = (entry.photoIds || []).length + (entry.photos || []).length;
      var details = format(photoCount ? data.msgDetailsPhotos : data.msgDetails, {
        photos: photoCount
      });
      status.appendChild(document.createTextNode(" · " + details));
    }
    item.appendChild(status);
    if (entry.status === S.REJECTED && entry.message) {
      item.appendChild(element("p", "outbox-item__message", entry.message));
    }
    var actions = element("p", "outbox-item__actions");
    if (entry.status === S.SIGNED_OUT && data.loginUrl) {
      var login = element("a", "", data.msgLogin);
      login.href = data.loginUrl;
      actions.appendChild(login);
    } else if (entry.status === S.UNVERIFIED && data.verifyUrl) {
      var verify = element("a", "", data.msgVerify);
      verify.href = data.verifyUrl;
      actions.appendChild(verify);
    } else if (entry.status === S.REJECTED) {
      if (this.form) {
        var fix = element("button", "button button--secondary button--small", data.msgFix);
        fix.type = "button";
        fix.dataset.outboxFix = entry.id;
        actions.appendChild(fix);
      } else if (data.fileUrl) {
        var open = element("a", "", data.msgFix);
        open.href = data.fileUrl;
        actions.appendChild(open);
      }
    } else if (entry.status === S.FILED) {
      var dismiss = element("button", "button button--secondary button--small", data.msgDismiss);
      dismiss.type = "button";
      dismiss.dataset.outboxDismiss = entry.id;
      actions.appendChild(dismiss);
    }
    if (actions.childNodes.length) {
      item.appendChild(actions);
    }
    return item;
  };

  Outbox.prototype.render = function () {
    var self = this;
    return store.outbox.list(this.owner).then(function (entries) {
      self.list.textContent = "";
      entries.forEach(function (entry) {
        self.list.appendChild(self.renderEntry(entry));
      });
      self.root.hidden = entries.length === 0;
      return entries;
    });
  };

  Outbox.prototype.start = function () {
    var self = this;
    this.list.addEventListener("click", function (event) {
      var dismiss = event.target.closest("[data-outbox-dismiss]");
      if (dismiss) {
        store.outbox.remove(dismiss.dataset.outboxDismiss).then(self.render.bind(self));
        return;
      }
      var fix = event.target.closest("[data-outbox-fix]");
      if (fix && self.form) {
        store.outbox.get(fix.dataset.outboxFix).then(function (entry) {
          if (entry) {
            self.form.takeBack(entry);
          }
        });
      }
    });
    window.addEventListener("online", function () {
      self.send();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        self.send();
      }
    });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === store.MESSAGE_TYPE) {
          self.afterSend({ changed: event.data.changed || [] });
        }
      });
    }
    return this.render()
      .then(function (entries) {
        // A complaint refused while the app was closed comes back into an empty form.
        var refused = entries.filter(function (entry) {
          return entry.status === store.STATUS.REJECTED;
        })[0];
        if (refused && self.form && self.form.isEmpty()) {
          return self.form.takeBack(refused);
        }
        return undefined;
      })
      .then(function () {
        return self.send();
      });
  };

  /* Send what waits, now (the page's fallback for Background Sync, and its fast path). */
  Outbox.prototype.send = function () {
    var self = this;
    if (navigator.onLine === false) {
      return Promise.resolve();
    }
    if (this.flushing) {
      // A round already under way may have read the outbox before the newest entry.
      return this.flushing.then(this.send.bind(this));
    }
    this.flushing = store
      .flush({ owner: this.owner, csrfToken: csrfCookie() || this.data.csrfToken })
      .then(
        function (result) {
          self.flushing = null;
          if (result.busy) {
            // The service worker is sending; it tells us when done, and a sync registered
            // now brings it back for anything it had not seen.
            askForSync();
            return undefined;
          }
          if (result.offline) {
            askForSync();
          }
          return self.afterSend({
            changed: result.changed.map(function (entry) {
              return entry.id;
            })
          });
        },
        function () {
          self.flushing = null;
        }
      );
    return this.flushing;
  };

  Outbox.prototype.afterSend = function (result) {
    var self = this;
    var S = store.STATUS;
    return Promise.all(
      result.changed.map(function (id) {
        return store.outbox.get(id);
      })
    ).then(function (entries) {
      var filed = [];
      var chain = Promise.resolve();
      entries.forEach(function (entry) {
        if (!entry || String(entry.owner) !== String(self.owner)) {
          return;
        }
        if (entry.status === S.FILED) {
          if (self.form && self.form.sentHere === entry.id) {
            // Sent from this very page: the usual page with the tracking number.
            chain = chain.then(function () {
              return store.outbox.remove(entry.id).then(function () {
                window.location.assign(self.data.filedUrl + encodeURIComponent(entry.trackingNumber));
              });
            });
            return;
          }
          filed.push(entry);
        } else if (entry.status === S.REJECTED && self.form && self.form.canTakeBack(entry)) {
          chain = chain.then(function () {
            return self.form.takeBack(entry);
          });
        }
      });
      return chain.then(function () {
        if (filed.length) {
          self.say(
            filed
              .map(function (entry) {
                return format(self.data.msgFiledNotice, {
                  title: entry.title,
                  tracking: entry.trackingNumber
                });
              })
              .join(" ")
          );
        }
        return self.render();
      });
    });
  };

  // --- the /lapor/ form ----------------------------------------------------------------------

  function ComplaintForm(form, outbox) {
    this.form = form;
    this.data = form.dataset;
    this.outbox = outbox;
    this.owner = outbox.owner;
    this.photoList = form.querySelector("[data-photo-list]");
    this.photoData = (form.querySelector("[data-photo-field]") || form).dataset;
    this.saveTimer = null;
    this.sentHere = null;
    this.codes = {};
    var codes = document.getElementById("offline-codes");
    if (codes) {
      try {
        this.codes = JSON.parse(codes.textContent);
      } catch (error) {
        this.codes = {};
      }
    }
  }

  ComplaintForm.prototype.start = function () {
    var self = this;
    this.outbox.form = this;
    var schedule = this.scheduleSave.bind(this);
    this.form.addEventListener("input", schedule);
    // A choice made or a field left: at once.
    this.form.addEventListener("change", this.save.bind(this));
    if (this.photoList && window.MutationObserver) {
      new MutationObserver(this.save.bind(this)).observe(this.photoList, { childList: true });
    }
    // The app closed or put away: save what is typed at once.
    window.addEventListener("pagehide", this.save.bind(this));
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        self.save();
      }
    });
    this.form.addEventListener("submit", this.onSubmit.bind(this));
    // "Hapus draf dan mulai dari awal" drops the phone's draft too.
    document.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter.value !== "discard" || event.defaultPrevented) {
        return;
      }
      event.preventDefault();
      var discard = event.target;
      var done = function () {
        discard.submit();
      };
      store.drafts
        .remove(self.owner)
        .then(function () {
          return store.photos.prune(self.owner, [], { all: true });
        })
        .then(done, done);
    });
    return this.restore();
  };

  ComplaintForm.prototype.named = function (name) {
    return Array.prototype.slice.call(this.form.elements).filter(function (field) {
      return field.name === name;
    });
  };

  ComplaintForm.prototype.values = function () {
    var self = this;
    var values = {};
    DRAFT_FIELDS.forEach(function (name) {
      self.named(name).forEach(function (field) {
        if (field.type === "radio") {
          if (field.checked) {
            values[name] = field.value;
          }
        } else if (field.type === "checkbox") {
          values[name] = field.checked;
        } else {
          values[name] = field.value;
        }
      });
    });
    return values;
  };

  ComplaintForm.prototype.setValues = function (values) {
    var self = this;
    DRAFT_FIELDS.forEach(function (name) {
      var value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : null;
      self.named(name).forEach(function (field) {
        if (field.type === "radio") {
          field.checked = value !== null ? field.value === String(value) : field.defaultChecked;
        } else if (field.type === "checkbox") {
          field.checked = Boolean(value);
        } else {
          field.value = value === null ? "" : String(value);
        }
        field.dispatchEvent(new Event("input", { bubbles: false }));
      });
    });
    var picker = this.form.querySelector("[data-location-picker]");
    if (picker) {
      picker.dispatchEvent(
        new CustomEvent("sikesal:location-restored", {
          detail: { latitude: values.latitude || "", longitude: values.longitude || "" }
        })
      );
    }
  };

  // The photos in the form: staged ones (with their server id) and those kept on the phone.
  ComplaintForm.prototype.photos = function () {
    var staged = [];
    var local = [];
    if (!this.photoList) {
      return { staged: staged, local: local };
    }
    this.photoList.querySelectorAll("[data-photo-item]").forEach(function (item) {
      if (item.dataset.localPhoto) {
        local.push(item.dataset.localPhoto);
        return;
      }
      var input = item.querySelector("input[name=photo_ids]");
      var image = item.querySelector("img");
      if (input) {
        staged.push({
          id: input.value,
          thumbnailUrl: image ? image.getAttribute("src") : "",
          name: item.dataset.photoName || ""
        });
      }
    });
    return { staged: staged, local: local };
  };

  ComplaintForm.prototype.setPhotos = function (staged, localRecords) {
    var self = this;
    var helpers = window.SikesalPhotos;
    if (!this.photoList || !helpers) {
      return;
    }
    this.photoList.textContent = "";
    staged.forEach(function (photo) {
      self.photoList.appendChild(helpers.stagedItem(photo, self.photoData));
    });
    localRecords.forEach(function (record) {
      self.photoList.appendChild(helpers.localItem(record, self.photoData));
    });
  };

  ComplaintForm.prototype.isEmpty = function () {
    var values = this.values();
    var photos = this.photos();
    return !values.title && !values.description && !photos.staged.length && !photos.local.length;
  };

  ComplaintForm.prototype.scheduleSave = function () {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(this.save.bind(this), SAVE_DELAY_MS);
  };

  ComplaintForm.prototype.save = function () {
    clearTimeout(this.saveTimer);
    var photos = this.photos();
    var draft = { fields: this.values(), staged: photos.staged, localPhotoIds: photos.local };
    var self = this;
    return store.drafts.put(this.owner, draft).then(function () {
      return store.photos.prune(self.owner, photos.local);
    });
  };

  ComplaintForm.prototype.loadLocalPhotos = function (ids) {
    return Promise.all((ids || []).map(store.photos.get)).then(function (records) {
      return records.filter(Boolean);
    });
  };

  /*
   * Put the phone's draft back, unless the page shows something newer: the server's own
   * draft saved after it, or the form as the server sent it back with its errors.
   */
  ComplaintForm.prototype.restore = function () {
    var self = this;
    return store.drafts.get(this.owner).then(function (draft) {
      var serverDraftAt = parseInt(self.data.serverDraftAt, 10) || 0;
      if (!draft || self.data.formErrors === "true" || draft.savedAt < serverDraftAt) {
        return self.save();
      }
      return self.loadLocalPhotos(draft.localPhotoIds).then(function (records) {
        self.setValues(draft.fields || {});
        self.setPhotos(draft.staged || [], records);
        var values = draft.fields || {};
        if (values.title || values.description || records.length || (draft.staged || []).length) {
          self.outbox.say(self.data.msgRestored);
        }
      });
    });
  };

  ComplaintForm.prototype.clear = function () {
    this.setValues({});
    this.setPhotos([], []);
    this.showErrors(null);
  };

  // --- sending -------------------------------------------------------------------------------

  function intentOf(event) {
    var submitter = event.submitter;
    return submitter && submitter.name === "intent" ? submitter.value : "submit";
  }

  ComplaintForm.prototype.onSubmit = function (event) {
    if (event.defaultPrevented) {
      return; // complaint-form.js: photos still uploading
    }
    var intent = intentOf(event);
    if (intent === "draft") {
      if (navigator.onLine === false) {
        // "Simpan draf" cannot reach the server: the phone keeps it.
        event.preventDefault();
        this.save();
        this.outbox.say(this.data.msgDraftKept);
      } else if (this.photos().local.length) {
        event.preventDefault();
        this.saveOnServer(event.submitter);
      }
      return; // with signal: the server's draft, as before
    }
    if (intent !== "submit") {
      return;
    }
    event.preventDefault();
    if (navigator.onLine === false && !this.form.checkValidity()) {
      // Nothing can check the form before the signal returns: say what is missing now.
      this.form.reportValidity();
      return;
    }
    this.queue();
  };

  /*
   * "Simpan draf" with signal and photos kept on the phone: they go with the form as its
   * files (the server stages them into its draft), then the form is posted as usual.
   */
  ComplaintForm.prototype.saveOnServer = function (submitter) {
    var self = this;
    var input = this.form.querySelector("[data-photo-field] input[type=file]");
    var local = this.photos().local;
    return this.loadLocalPhotos(local).then(function (records) {
      if (input && window.DataTransfer) {
        var files = new DataTransfer();
        records.forEach(function (record) {
          files.items.add(new File([record.blob], record.name, { type: record.blob.type }));
        });
        input.files = files.files;
      }
      self.photoList.querySelectorAll("[data-local-photo]").forEach(function (item) {
        item.parentNode.removeChild(item);
      });
      // Sent as the submitter would: its name=value says which button it was.
      var intent = document.createElement("input");
      intent.type = "hidden";
      intent.name = submitter ? submitter.name : "intent";
      intent.value = submitter ? submitter.value : "draft";
      self.form.appendChild(intent);
      HTMLFormElement.prototype.submit.call(self.form);
    });
  };

  ComplaintForm.prototype.payload = function (values) {
    var codes = this.codes;
    var payload = {};
    DRAFT_FIELDS.forEach(function (name) {
      var value = values[name];
      if (name === "category" || name === "kelurahan") {
        value = value ? (codes[name] || {})[value] || "" : "";
      }
      if (name === "is_confidential" || name === "is_anonymous") {
        value = value ? "true" : "false";
      }
      payload[name] = value === undefined ? "" : value;
    });
    return payload;
  };

  ComplaintForm.prototype.queue = function () {
    var self = this;
    var values = this.values();
    var photos = this.photos();
    var csrfInput = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return this.loadLocalPhotos(photos.local)
      .then(function (records) {
        return store.outbox.add({
          // Made once, here, and sent with every retry. Not the form's submission token: a
          // page the service worker kept offers the same token again.
          key: store.newId(),
          owner: self.owner,
          title: values.title,
          fields: values,
          payload: self.payload(values),
          photoIds: photos.staged.map(function (photo) {
            return photo.id;
          }),
          staged: photos.staged,
          photos: records.map(function (record) {
            return { name: record.name, blob: record.blob };
          }),
          csrfToken: (csrfInput && csrfInput.value) || csrfCookie(),
          language: document.documentElement.lang || "id",
          apiUrl: self.data.apiUrl,
          meUrl: self.data.meUrl
        });
      })
      .then(function (entry) {
        self.sentHere = entry.id;
        // The form is free for the next complaint: the draft lives on in the outbox.
        self.clear();
        return self.save().then(function () {
          return entry;
        });
      })
      .then(function (entry) {
        return self.outbox.render().then(function () {
          if (navigator.onLine === false) {
            self.outbox.say(self.data.msgQueued);
            self.focusOutbox();
            return askForSync();
          }
          self.outbox.say(self.data.msgSending);
          return self.outbox.send().then(function () {
            return store.outbox.get(entry.id).then(function (now) {
              if (!now || now.status === store.STATUS.FILED) {
                return; // filed (the page moves on) or back in the form with its errors
              }
              // The send failed for the network (it waits like any other), or the citizen
              // must sign in or verify first: the list says what to do.
              self.outbox.say(
                now.status === store.STATUS.QUEUED
                  ? self.data.msgQueued
                  : self.outbox.statusText(now)
              );
              self.focusOutbox();
              askForSync();
            });
          });
        });
      })
      .catch(function () {
        self.outbox.say(self.data.msgQueueFailed);
      });
  };

  ComplaintForm.prototype.focusOutbox = function () {
    var heading = this.outbox.root.querySelector("h2");
    if (heading) {
      heading.focus();
    }
  };

  // A refused entry goes back into the form only when nothing else is being typed there.
  ComplaintForm.prototype.canTakeBack = function (entry) {
    return this.sentHere === entry.id || this.isEmpty();
  };

  /* A refused complaint back into the form, as a draft, with the server's errors shown. */
  ComplaintForm.prototype.takeBack = function (entry) {
    var self = this;
    var kept = entry.photos || [];
    return Promise.all(
      kept.map(function (photo) {
        return store.photos.add(self.owner, photo.blob, photo.name);
      })
    )
      .then(function (records) {
        self.setValues(entry.fields || {});
        self.setPhotos(entry.staged || [], records);
        self.outbox.say("");
        self.showErrors(entry.errors || {}, entry.message);
        return self.save();
      })
      .then(function () {
        return store.outbox.remove(entry.id);
      })
      .then(function () {
        self.sentHere = null;
        return self.outbox.render();
      });
  };

  ComplaintForm.prototype.fieldBox = function (name) {
    var field = this.named(name)[0];
    if (name === "latitude" || name === "longitude") {
      field = this.named("kelurahan")[0];
    }
    if (name === "photo_ids") {
      name = "photos";
    }
    if (name === "photos") {
      return { box: this.form.querySelector("[data-photo-field]"), focus: null };
    }
    if (!field) {
      return null;
    }
    var box = field.closest(".field, .choice-group");
    return { box: box, focus: field };
  };

  /* The server's `fields` errors: a summary at the top, each field's under its label. */
  ComplaintForm.prototype.showErrors = function (fields, message) {
    var self = this;
    var data = this.data;
    this.form.querySelectorAll("[data-offline-error]").forEach(function (node) {
      node.parentNode.removeChild(node);
    });
    var summary = document.querySelector("[data-offline-error-summary]");
    if (summary) {
      summary.parentNode.removeChild(summary);
    }
    if (!fields) {
      return;
    }
    summary = element("div", "error-summary");
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("data-offline-error-summary", "");
    summary.appendChild(element("h2", "", data.msgErrorsTitle));
    if (message) {
      summary.appendChild(element("p", "", data.msgErrorsIntro));
    }
    var items = element("ul");
    Object.keys(fields).forEach(function (name) {
      var messages = [].concat(fields[name]);
      var target = self.fieldBox(name);
      var label = target && target.box && target.box.querySelector("label, legend");
      var prefix = label ? label.textContent.trim() + ": " : "";
      messages.forEach(function (text) {
        var item = element("li");
        if (target && target.focus && target.focus.id) {
          var link = element("a", "", prefix + text);
          link.href = "#" + target.focus.id;
          item.appendChild(link);
        } else {
          item.textContent = prefix + text;
        }
        items.appendChild(item);
      });
      if (target && target.box) {
        var list = element("ul", "field-error");
        list.setAttribute("data-offline-error", "");
        messages.forEach(function (text) {
          list.appendChild(element("li", "", text));
        });
        if (label && label.parentNode === target.box) {
          label.insertAdjacentElement("afterend", list);
        } else {
          target.box.insertBefore(list, target.box.firstChild);
        }
      }
    });
    if (!items.childNodes.length && message) {
      items.appendChild(element("li", "", message)); // e.g. 409: nothing to mark in the form
    }
    summary.appendChild(items);
    this.form.parentNode.insertBefore(summary, this.form);
    summary.focus();
  };

  // --- start ---------------------------------------------------------------------------------

  function start() {
    var root = document.querySelector("[data-outbox]");
    if (!store || !window.indexedDB || !root || !window.fetch || !window.FormData) {
      return; // the form posts to the server as it always did
    }
    var outbox = new Outbox(root);
    var form = document.querySelector("form[data-offline-form]");
    var ready = form ? new ComplaintForm(form, outbox).start() : Promise.resolve();
    ready.then(
      function () {
        return outbox.start();
      },
      function () {
        return outbox.start();
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
