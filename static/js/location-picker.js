/*
 * Location picker of the complaint form (templates/complaints/partials/location_picker.html).
 *
 * Progressive enhancement: the form works without this file (address + kelurahan select).
 * With it, the citizen marks the place on a Leaflet map or with the device's location; the
 * point fills the hidden latitude/longitude inputs, /wilayah/lokasi/ names its kelurahan
 * (announced in a live region and selected in the kelurahan <select>), and a point outside
 * the city is reported and not submitted. Every user-facing text comes translated from the
 * partial's data-msg-* attributes. No inline styles or scripts: the CSP forbids both.
 */
(function () {
  "use strict";

  var COORDINATE_DECIMALS = 6; // about 0.1 m; also makes look-up URLs cacheable
  var POINT_ZOOM = 17;
  var MARKER_OUTSIDE_CLASS = "location-picker__marker--outside";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function LocationPicker(root) {
    this.root = root;
    this.data = root.dataset;
    this.latitudeInput = document.getElementById(this.data.latitudeId);
    this.longitudeInput = document.getElementById(this.data.longitudeId);
    this.kelurahanSelect = document.getElementById(this.data.kelurahanId);
    this.live = root.querySelector("[data-role=live]");
    this.status = root.querySelector("[data-role=status]");
    this.notice = root.querySelector("[data-role=notice]");
    this.mapElement = root.querySelector("[data-role=map]");
    this.locateButton = root.querySelector("[data-action=locate-me]");
    this.centreButton = root.querySelector("[data-action=use-centre]");
    this.clearButton = root.querySelector("[data-action=clear]");
    this.map = null;
    this.marker = null;
    this.lookupCount = 0;
    this.lookupAbort = null;
  }

  LocationPicker.prototype.start = function () {
    if (!this.latitudeInput || !this.longitudeInput || !this.live || !window.fetch) {
      return; // nothing to fill, or too old a browser: the plain fields remain
    }
    var withMap = Boolean(this.data.tileUrl && window.L);
    // The browser offers the device's position only to HTTPS pages (and localhost).
    var withGeolocation = "geolocation" in navigator && window.isSecureContext !== false;
    if (!withMap && !withGeolocation) {
      return;
    }
    this.live.hidden = false;
    if (withMap) {
      this.startMap();
    }
    if (withGeolocation) {
      this.locateButton.hidden = false;
      this.locateButton.addEventListener("click", this.locateMe.bind(this));
    }
    this.clearButton.addEventListener("click", this.clear.bind(this));

    var lat = parseFloat(this.latitudeInput.value);
    var lng = parseFloat(this.longitudeInput.value);
    if (isFinite(lat) && isFinite(lng)) {
      // The form came back (a validation error elsewhere): show the point chosen before.
      this.setPoint(lat, lng, { pan: true });
    }
    // A draft put back by static/js/offline-filing.js: its point, or none.
    this.root.addEventListener("sikesal:location-restored", this.restore.bind(this));
  };

  LocationPicker.prototype.restore = function (event) {
    var lat = parseFloat(event.detail.latitude);
    var lng = parseFloat(event.detail.longitude);
    if (isFinite(lat) && isFinite(lng)) {
      this.setPoint(lat, lng, { pan: true });
      return;
    }
    this.lookupCount += 1;
    this.clearCoordinates();
    if (this.marker) {
      this.marker.remove();
      this.marker = null;
    }
    this.clearButton.hidden = true;
    this.say("", "");
  };

  LocationPicker.prototype.startMap = function () {
    var L = window.L;
    var self = this;
    this.mapElement.hidden = false; // before L.map(), so Leaflet measures a visible box
    this.root.querySelector("[data-role=map-help]").hidden = false;
    this.map = L.map(this.mapElement, {
      center: [parseFloat(this.data.centreLat), parseFloat(this.data.centreLng)],
      zoom: parseInt(this.data.zoom, 10),
      minZoom: 10,
      // Set on the map itself, not only on the tile layer: without tiles Leaflet has no
      // maximum zoom and refuses to set a view.
      maxZoom: 19,
    });
    if (this.data.bounds) {
      // Keep the map on the city (SIKESAL_MAP_BOUNDS); a little slack beyond its edge.
      var edges = this.data.bounds.split(",").map(parseFloat);
      this.map.setMaxBounds(L.latLngBounds([edges[0], edges[1]], [edges[2], edges[3]]).pad(0.5));
    }
    var tiles = L.tileLayer(this.data.tileUrl, {
      maxZoom: 19,
      attribution: this.data.tileAttribution,
    });
    tiles.once("tileerror", function () {
      self.notice.textContent = self.data.msgTilesFailed;
      self.notice.hidden = false;
    });
    tiles.addTo(this.map);

    this.map.on("click", function (event) {
      self.setPoint(event.latlng.lat, event.latlng.lng, { pan: false });
    });
    this.centreButton.hidden = false;
    this.centreButton.addEventListener("click", function () {
      var centre = self.map.getCenter();
      self.setPoint(centre.lat, centre.lng, { pan: false });
    });
  };

  LocationPicker.prototype.makeMarker = function (latlng) {
    var L = window.L;
    var self = this;
    var marker = L.marker(latlng, {
      draggable: true,
      // A marker cannot be moved with the keyboard; "Tandai tengah peta" is the keyboard way.
      keyboard: false,
      title: this.data.msgMarker,
      alt: this.data.msgMarker,
      icon: L.icon({
        iconUrl: this.data.markerIcon,
        iconRetinaUrl: this.data.markerIcon2x,
        shadowUrl: this.data.markerShadow,
        iconSize: [25, 41],
        iconAnchor: [12, 41],
        shadowSize: [41, 41],
      }),
    });
    marker.on("dragend", function () {
      var position = marker.getLatLng();
      self.setPoint(position.lat, position.lng, { pan: false });
    });
    return marker.addTo(this.map);
  };

  LocationPicker.prototype.setPoint = function (lat, lng, options) {
    lat = Number(lat.toFixed(COORDINATE_DECIMALS));
    lng = Number(lng.toFixed(COORDINATE_DECIMALS));
    this.latitudeInput.value = lat.toFixed(COORDINATE_DECIMALS);
    this.longitudeInput.value = lng.toFixed(COORDINATE_DECIMALS);
    if (this.map) {
      if (this.marker) {
        this.marker.setLatLng([lat, lng]);
      } else {
        this.marker = this.makeMarker([lat, lng]);
      }
      this.markOutside(false);
      if (options.pan) {
        this.map.setView([lat, lng], Math.max(this.map.getZoom(), POINT_ZOOM));
      }
    }
    this.clearButton.hidden = false;
    this.lookup(lat, lng);
  };

  LocationPicker.prototype.clearCoordinates = function () {
    this.latitudeInput.value = "";
    this.longitudeInput.value = "";
  };

  LocationPicker.prototype.markOutside = function (outside) {
    var element = this.marker && this.marker.getElement();
    if (element) {
      element.classList.toggle(MARKER_OUTSIDE_CLASS, outside);
    }
  };

  LocationPicker.prototype.clear = function () {
    this.lookupCount += 1; // an answer still on its way is now stale
    if (this.lookupAbort) {
      this.lookupAbort.abort();
    }
    this.clearCoordinates();
    if (this.marker) {
      this.marker.remove();
      this.marker = null;
    }
    this.clearButton.hidden = true;
    this.say(this.data.msgCleared, "");
    (this.map ? this.mapElement : this.locateButton).focus();
  };

  LocationPicker.prototype.say = function (message, tone) {
    this.status.textContent = message;
    this.status.classList.toggle("location-picker__status--error", tone === "error");
    this.status.classList.toggle("location-picker__status--found", tone === "found");
  };

  LocationPicker.prototype.lookup = function (lat, lng) {
    var self = this;
    var count = (this.lookupCount += 1);
    if (this.lookupAbort) {
      this.lookupAbort.abort();
    }
    this.lookupAbort = window.AbortController ? new AbortController() : null;
    this.say(this.data.msgLooking, "");
    var url =
      this.data.lookupUrl +
      "?lat=" + encodeURIComponent(lat.toFixed(COORDINATE_DECIMALS)) +
      "&lng=" + encodeURIComponent(lng.toFixed(COORDINATE_DECIMALS));
    fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: this.lookupAbort ? this.lookupAbort.signal : undefined,
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (count !== self.lookupCount) {
          return; // the point moved since
        }
        if (answer.ok && answer.body.inside) {
          self.showRegion(answer.body);
        } else {
          self.clearCoordinates();
          self.markOutside(true);
          self.say(answer.body.message || self.data.msgOutside, "error");
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError" || count !== self.lookupCount) {
          return;
        }
        // Keep the point: the server checks it again on submit.
        self.say(self.data.msgLookupFailed, "error");
      });
  };

  LocationPicker.prototype.showRegion = function (body) {
    var template = body.snapped ? this.data.msgSnapped : this.data.msgFound;
    this.say(
      format(template, { kelurahan: body.kelurahan.name, kecamatan: body.kecamatan.name }),
      "found"
    );
    var select = this.kelurahanSelect;
    var value = String(body.kelurahan.id);
    if (select && select.value !== value) {
      var offered = Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      });
      if (offered) {
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  };

  LocationPicker.prototype.locateMe = function () {
    var self = this;
    var button = this.locateButton;
    if (button.getAttribute("aria-disabled") === "true") {
      return; // still waiting for the previous answer
    }
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    button.setAttribute("aria-disabled", "true");
    this.say(this.data.msgLocating, "");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        button.removeAttribute("aria-disabled");
        self.setPoint(position.coords.latitude, position.coords.longitude, { pan: true });
      },
      function (error) {
        button.removeAttribute("aria-disabled");
        var denied = error.code === 1; // PERMISSION_DENIED
        self.say(denied ? self.data.msgLocateDenied : self.data.msgLocateFailed, "error");
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 15000 }
    );
  };

  function startAll(scope) {
    var roots = scope.querySelectorAll("[data-location-picker]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.dataset.locationPickerStarted) {
        return;
      }
      root.dataset.locationPickerStarted = "true";
      new LocationPicker(root).start();
    });
  }

  startAll(document);
  // A form swapped in by htmx gets its picker too.
  document.addEventListener("htmx:load", function (event) {
    startAll(event.detail.elt.parentNode || document);
  });
})();
