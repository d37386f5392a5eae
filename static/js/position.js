// Attaches the browser's position to a lesson form. Rendered only for users who gave their
// geolocation consent; every text comes from the page's data attributes, so the script has
// no language of its own. Without this script (or without geolocation) the elements it needs
// stay hidden and the meeting place is simply typed.
//
//   data-geo="attach"   a box inside a form: adds a "use my position" button
//   data-geo="checkin"  a form: asks for the position when it is sent
//   data-geo-button, data-geo-wait, data-geo-done, data-geo-failed: the texts
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }

  function setUp(box) {
    var form = box.closest("form");
    if (!form) {
      return;
    }
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    if (!lat || !lon) {
      return;
    }
    var status = document.createElement("p");
    status.className = "hint geo-status";
    status.setAttribute("role", "status");
    if (lat.value && lon.value) {
      status.textContent = (box.dataset.geoDone || "") + " " + lat.value + ", " + lon.value;
    }

    function locate(then) {
      status.textContent = box.dataset.geoWait || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // The server rounds too; sending no more than it keeps is kinder still.
          lat.value = position.coords.latitude.toFixed(3);
          lon.value = position.coords.longitude.toFixed(3);
          status.textContent = (box.dataset.geoDone || "") + " " + lat.value + ", " + lon.value;
          if (then) {
            then();
          }
        },
        function () {
          status.textContent = box.dataset.geoFailed || "";
        },
        { enableHighAccuracy: false, timeout: 20000, maximumAge: 60000 }
      );
    }

    if (box.dataset.geo === "checkin") {
      form.addEventListener("submit", function (event) {
        if (!lat.value || !lon.value) {
          event.preventDefault();
          locate(function () {
            form.submit();
          });
        }
      });
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = box.dataset.geoButton || "";
      button.addEventListener("click", function () {
        locate(null);
      });
      box.appendChild(button);
    }
    box.appendChild(status);
    box.hidden = false;
  }

  document.querySelectorAll("[data-geo]").forEach(setUp);
})();
