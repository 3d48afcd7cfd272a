/*
 * What the phone keeps while it has no signal: the /lapor/ draft, photos chosen offline,
 * and the outbox of complaints waiting to be sent. IndexedDB (it outlives closing the app
 * and a reboot), no library.
 *
 * Loaded by pages (<script src>) and by the service worker (importScripts from
 * static/js/sw/outbox.js): it touches neither `window` nor `document`, and defines
 * `self.SikesalOffline`.
 *
 * The outbox sends through POST /api/v1/complaints/ (multipart: the form's fields, the staged
 * `photo_ids` and the photos kept on the phone as `photos` files) with the
 * `Idempotency-Key` made once when the complaint was queued: a retry after a lost answer,
 * from the page or from the service worker, files nothing twice. Every record carries the
 * id of the citizen who made it; one account never sends or sees another's.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "sikesal";
  var DB_VERSION = 1;
  var DRAFTS = "drafts"; // {key: "lapor:<user id>", owner, savedAt, fields, staged, localPhotoIds}
  var PHOTOS = "photos"; // {id, owner, name, blob, createdAt}: chosen without signal
  var OUTBOX = "outbox"; // {id (= idempotency key), owner, status, ...}: see queue()
  var LOCK = "sikesal-outbox";

  // What an outbox entry can be.
  var STATUS = {
    QUEUED: "queued", // waiting for signal (or a send failed for the network / the server)
    SIGNED_OUT: "signed-out", // 401/403: kept until the citizen signs in again
    OTHER_ACCOUNT: "other-account", // the browser is signed in as someone else
    UNVERIFIED: "unverified", // 403 unverified: kept until email or mobile is verified
    REJECTED: "rejected", // 4xx with the form's errors: back to the form as a draft
    FILED: "filed" // done: trackingNumber and url
  };

  var dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(DRAFTS)) {
            db.createObjectStore(DRAFTS, { keyPath: "key" });
          }
          if (!db.objectStoreNames.contains(PHOTOS)) {
            db.createObjectStore(PHOTOS, { keyPath: "id" });
          }
          if (!db.objectStoreNames.contains(OUTBOX)) {
            db.createObjectStore(OUTBOX, { keyPath: "id" });
          }
        };
        request.onsuccess = function () {
          var db = request.result;
          // Another tab upgrading the schema: let it, and open again next time.
          db.onversionchange = function () {
            db.close();
            dbPromise = null;
          };
          resolve(db);
        };
        request.onerror = function () {
          dbPromise = null;
          reject(request.error);
        };
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var store = transaction.objectStore(storeName);
        var result;
        var request = work(store);
        if (request) {
          request.onsuccess = function () {
            result = request.result;
          };
        }
        transaction.oncomplete = function () {
          resolve(result);
        };
        transaction.onerror = transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function get(storeName, key) {
    return run(storeName, "readonly", function (store) {
      return store.get(key);
    });
  }

  function put(storeName, value) {
    return run(storeName, "readwrite", function (store) {
      return store.put(value);
    });
  }

  function remove(storeName, key) {
    return run(storeName, "readwrite", function (store) {
      return store.delete(key);
    });
  }

  function all(storeName) {
    return run(storeName, "readonly", function (store) {
      return store.getAll();
    });
  }

  function ownedBy(owner) {
    return function (record) {
      return String(record.owner) === String(owner);
    };
  }

  function newId() {
    if (scope.crypto && scope.crypto.randomUUID) {
      return scope.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  // --- the draft ---------------------------------------------------------------------------

  function draftKey(owner) {
    return "lapor:" + owner;
  }

  var drafts = {
    get: function (owner) {
      return get(DRAFTS, draftKey(owner));
    },
    put: function (owner, draft) {
      draft.key = draftKey(owner);
      draft.owner = String(owner);
      draft.savedAt = Date.now();
      return put(DRAFTS, draft);
    },
    remove: function (owner) {
      return remove(DRAFTS, draftKey(owner));
    }
  };

  // --- photos chosen without signal -----------------------------------------------------

  var photos = {
    add: function (owner, blob, name) {
      var record = {
        id: newId(),
        owner: String(owner),
        name: name,
        blob: blob,
        createdAt: Date.now()
      };
      return put(PHOTOS, record).then(function () {
        return record;
      });
    },
    get: function (id) {
      return get(PHOTOS, id);
    },
    remove: function (id) {
      return remove(PHOTOS, id);
    },
    // Photos no draft refers to any more (taken off, or sent with a complaint). One added in
    // the last minute may still be on its way into the form: it is left for the next time.
    prune: function (owner, keepIds, options) {
      var before = Date.now() - (options && options.all ? -1 : 60000);
      return all(PHOTOS).then(function (records) {
        return Promise.all(
          records.filter(ownedBy(owner)).map(function (record) {
            var unused = keepIds.indexOf(record.id) === -1 && record.createdAt < before;
            return unused ? remove(PHOTOS, record.id) : null;
          })
        );
      });
    }
  };

  // --- the outbox ---------------------------------------------------------------------------

  var outbox = {
    /*
     * entry: {owner, key (the Idempotency-Key), title, fields (the form's values, to put
     * back into the form), payload (the API's field values: codes, not ids), photoIds (staged
     * ids), staged ([{id, thumbnailUrl, name}], to show them again), photos ([{name, blob}],
     * kept on the phone), csrfToken, language, apiUrl, meUrl}
     */
    add: function (entry) {
      entry.id = entry.key;
      entry.owner = String(entry.owner);
      entry.status = STATUS.QUEUED;
      entry.createdAt = Date.now();
      entry.attempts = 0;
      return put(OUTBOX, entry).then(function () {
        return entry;
      });
    },
    list: function (owner) {
      return all(OUTBOX).then(function (entries) {
        return entries.filter(ownedBy(owner)).sort(function (a, b) {
          return a.createdAt - b.createdAt;
        });
      });
    },
    get: function (id) {
      return get(OUTBOX, id);
    },
    put: function (entry) {
      return put(OUTBOX, entry);
    },
    remove: function (id) {
      return remove(OUTBOX, id);
    }
  };

  // --- sending ------------------------------------------------------------------------------

  function readJson(response) {
    return response.text().then(function (text) {
      try {
        return JSON.parse(text);
      } catch (error) {
        return {};
      }
    });
  }

  function formBody(entry) {
    var body = new FormData();
    var payload = entry.payload || {};
    Object.keys(payload).forEach(function (name) {
      var value = payload[name];
      if (value !== null && value !== undefined) {
        body.append(name, String(value));
      }
    });
    (entry.photoIds || []).forEach(function (id) {
      body.append("photo_ids", String(id));
    });
    (entry.photos || []).forEach(function (photo) {
      body.append("photos", photo.blob, photo.name || "foto.jpg");
    });
    return body;
  }

  function csrfFromCookieStore() {
    if (!scope.cookieStore) {
      return Promise.resolve("");
    }
    return scope.cookieStore.get("csrftoken").then(
      function (cookie) {
        return cookie ? cookie.value : "";
      },
      function () {
        return "";
      }
    );
  }

  var NETWORK = "network"; // stop: no signal

  /*
   * Send one entry; resolve with the entry as it now is, or with NETWORK when the request
   * did not get through. `options.csrfToken`: the page's token (fresher than the one kept).
   */
  function sendEntry(entry, options) {
    return (options.csrfToken ? Promise.resolve(options.csrfToken) : csrfFromCookieStore())
      .then(function (token) {
        return fetch(entry.apiUrl, {
          method: "POST",
          body: formBody(entry),
          credentials: "same-origin",
          headers: {
            Accept: "application/json",
            // Messages in the language of the page it was queued from.
            "Accept-Language": entry.language || "id",
            "Idempotency-Key": entry.key,
            "X-CSRFToken": token || entry.csrfToken || ""
          }
        });
      })
      .then(
        function (response) {
          return readJson(response).then(function (body) {
            return settle(entry, response.status, body);
          });
        },
        function () {
          return NETWORK;
        }
      );
  }

  function settle(entry, status, body) {
    var error = (body && body.error) || {};
    entry.attempts += 1;
    entry.lastStatus = status;
    entry.message = error.message || "";
    if (status === 200 || status === 201) {
      entry.status = STATUS.FILED;
      entry.trackingNumber = body.tracking_number;
      entry.filedAt = Date.now();
      // What the phone kept is not needed any more.
      entry.photos = [];
      entry.payload = null;
      entry.fields = null;
    } else if (status === 401) {
      entry.status = STATUS.SIGNED_OUT;
    } else if (status === 403 && error.code === "unverified") {
      entry.status = STATUS.UNVERIFIED;
    } else if (status === 403) {
      // Signed out meanwhile (a session without the right CSRF token is refused so too).
      entry.status = STATUS.SIGNED_OUT;
    } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      entry.status = STATUS.REJECTED;
      entry.errors = error.fields || {};
    } else {
      // 408, 429, 5xx: the server could not take it now; try again later.
      entry.status = STATUS.QUEUED;
    }
    return put(OUTBOX, entry).then(function () {
      return entry;
    });
  }

  /*
   * Who is signed in, before any entry is sent: never file one citizen's complaint under
   * another's session, and keep entries of a signed-out citizen without sending their photos.
   * Resolves with {id, is_verified}, null when signed out, or NETWORK.
   */
  function whoIsSignedIn(meUrl) {
    return fetch(meUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(
      function (response) {
        if (response.status === 200) {
          return readJson(response);
        }
        return response.status === 401 || response.status === 403 ? null : NETWORK;
      },
      function () {
        return NETWORK;
      }
    );
  }

  var SENDABLE = [STATUS.QUEUED, STATUS.SIGNED_OUT, STATUS.OTHER_ACCOUNT, STATUS.UNVERIFIED];

  function withLock(work) {
    // One sender at a time across the pages and the service worker; the lock goes with a
    // page that is closed mid-send, and the Idempotency-Key makes any overlap harmless.
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
        return lock ? work() : { busy: true };
      });
    }
    return work();
  }

  /*
   * Send every waiting entry (of whoever is signed in). Resolves with {sent: [entries whose
   * status changed], offline: bool, busy: bool}. `options`: {csrfToken, owner (the page's
   * citizen, when known)}.
   */
  function flush(options) {
    options = options || {};
    return withLock(function () {
      return all(OUTBOX).then(function (entries) {
        var waiting = entries.filter(function (entry) {
          return (
            SENDABLE.indexOf(entry.status) !== -1 &&
            (!options.owner || String(entry.owner) === String(options.owner))
          );
        });
        var changed = [];
        if (!waiting.length) {
          return { changed: changed, offline: false };
        }
        return whoIsSignedIn(waiting[0].meUrl).then(function (me) {
          if (me === NETWORK) {
            return { changed: changed, offline: true };
          }
          var chain = Promise.resolve(false);
          waiting.forEach(function (entry) {
            chain = chain.then(function (offline) {
              if (offline) {
                return true;
              }
              var before = entry.status;
              var hold = null;
              if (me === null) {
                hold = STATUS.SIGNED_OUT;
              } else if (String(me.id) !== String(entry.owner)) {
                hold = STATUS.OTHER_ACCOUNT;
              } else if (!me.is_verified) {
                // Sending would only keep it as the server's draft again, photos staged anew.
                hold = STATUS.UNVERIFIED;
              }
              if (hold) {
                if (hold === before) {
                  return false;
                }
                entry.status = hold;
                changed.push(entry);
                return put(OUTBOX, entry).then(function () {
                  return false;
                });
              }
              return sendEntry(entry, options).then(function (result) {
                if (result === NETWORK) {
                  return true;
                }
                changed.push(result);
                return false;
              });
            });
          });
          return chain.then(function (offline) {
            return { changed: changed, offline: offline };
          });
        });
      });
    });
  }

  scope.SikesalOffline = {
    STATUS: STATUS,
    SYNC_TAG: "sikesal-outbox",
    MESSAGE_TYPE: "sikesal-outbox",
    drafts: drafts,
    photos: photos,
    outbox: outbox,
    flush: flush,
    newId: newId
  };
})(self);
