// flagctl dashboard: progressive enhancement only; every form works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The list filters apply as soon as a select changes.
  document.querySelectorAll("form.filters select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
});
