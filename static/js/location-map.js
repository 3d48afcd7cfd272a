/*
 * A read-only map of a complaint's pinned point (templates/complaints/partials/location_map.html).
 *
 * Progressive enhancement: without this file, Leaflet or a tile server (MAP_TILE_URL) the
 * page shows the place in words and the "Buka di peta" geo: link, and the map stays hidden.
 * On a phone one finger scrolls the page, not the map (dragging is off on touch screens);
 * the zoom buttons still work. Texts come from the element's data-msg-* attributes.
 */
(function () {
  "use strict";

  var POINT_ZOOM = 16;

  function showMap(element) {
    var L = window.L;
    var data = element.dataset;
    var lat = parseFloat(data.latitude);
    var lng = parseFloat(data.longitude);
    if (!L || !data.tileUrl || !isFinite(lat) || !isFinite(lng)) {
      return;
    }
    element.hidden = false; // before L.map(), so Leaflet measures a visible box
    var map = L.map(element, {
      center: [lat, lng],
      zoom: POINT_ZOOM,
      minZoom: 10,
      maxZoom: 19, // on the map too: without tiles Leaflet would refuse to set a view
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      keyboard: false,
    });
    var tiles = L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution });
    var notice = element.parentNode.querySelector("[data-role=map-notice]");
    tiles.once("tileerror", function () {
      if (notice) {
        notice.textContent = data.msgTilesFailed;
        notice.hidden = false;
      }
    });
    tiles.addTo(map);
    L.marker([lat, lng], {
      keyboard: false,
      title: data.msgMarker,
      alt: data.msgMarker,
      icon: L.icon({
        iconUrl: data.markerIcon,
        iconRetinaUrl: data.markerIcon2x,
        shadowUrl: data.markerShadow,
        iconSize: [25, 41],
        iconAnchor: [12, 41],
        shadowSize: [41, 41],
      }),
    }).addTo(map);
  }

  var maps = document.querySelectorAll("[data-location-map]");
  Array.prototype.forEach.call(maps, showMap);
})();
