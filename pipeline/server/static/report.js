/* compare.html: the dashboard over the data embedded in the page (no server, no network). */
"use strict";
(function () {
  const node = document.getElementById("planlens-data");
  const data = JSON.parse(node.textContent);
  window.planlensDashboard = window.Planlens.mountDashboard(document.getElementById("dashboard"), data, {});
})();
