/* Cổng Kế hoạch: filters of the deadlines pages /thoi-han/<place>/. Every entry is on the
 * page already (so the page works without JavaScript); the filters hide the entries of other
 * agencies and roles. A place is a page of its own (no page grows with the country): choosing
 * one opens it, keeping the role. The state lives in the URL (/thoi-han/nghe-an/?co-quan=…
 * &vai-tro=chu-tri, the finder's parameter names), so a filtered list can be shared. */
(function () {
  "use strict";

  var PARAMS = { agency: "co-quan", role: "vai-tro" };
  var ROLES = ["chu-tri", "phoi-hop", "bao-cao", "nhan-bao-cao"];

  function start() {
    var form = document.getElementById("ckh-deadlines-filters");
    if (!form) return;
    var place = form.querySelector("#ckh-d-dia-ban");
    var agency = form.querySelector("#ckh-d-co-quan");
    var role = form.querySelector("#ckh-d-vai-tro");
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    place.addEventListener("change", function () {
      if (!place.value) return;
      // Another place's page; an agency belongs to one place, the role carries over.
      var query = role && role.value ? "?" + PARAMS.role + "=" + encodeURIComponent(role.value) : "";
      window.location.assign(place.value + query);
    });
    if (!agency) return; // the overview lists places only

    var status = document.getElementById("ckh-deadlines-status");
    var entries = Array.prototype.slice.call(document.querySelectorAll(".ckh-due"));
    var sections = Array.prototype.slice.call(document.querySelectorAll(".ckh-due-section"));

    // Who does what in an entry: "chu-tri" → ["nghe-an/so-tai-chinh", …].
    function duties(entry, which) {
      var value = entry.getAttribute("data-" + which);
      return value ? value.split(" ") : [];
    }

    function matches(entry) {
      var roles = role.value ? [role.value] : ROLES;
      if (agency.value) {
        return roles.some(function (r) { return duties(entry, r).indexOf(agency.value) >= 0; });
      }
      if (role.value) return duties(entry, role.value).length > 0;
      return true;
    }

    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        entry.hidden = !matches(entry);
        if (!entry.hidden) shown += 1;
      });
      // A month or a section with nothing left says so, not a bare heading.
      document.querySelectorAll(".ckh-due-month").forEach(function (month) {
        month.hidden = !month.querySelector(".ckh-due:not([hidden])");
      });
      sections.forEach(function (section) {
        var count = section.querySelectorAll(".ckh-due:not([hidden])").length;
        section.querySelector(".ckh-due-count").textContent = count + " mục";
        section.querySelector(".ckh-due-empty").hidden = count > 0;
      });
      // A place with many deadlines is on numbered pages: the filters reach this page only.
      var scope = status.getAttribute("data-scope") || "";
      status.textContent = agency.value || role.value
        ? "Đang lọc: " + shown + " trên " + entries.length + " mục" + scope + "."
        : "Tất cả " + entries.length + " mục" + scope + ".";
    }

    function writeUrl() {
      var params = new URLSearchParams();
      if (agency.value) params.set(PARAMS.agency, agency.value);
      if (role.value) params.set(PARAMS.role, role.value);
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function choose(select, value) {
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      select.value = known ? value : "";
    }

    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      choose(agency, params.get(PARAMS.agency) || "");
      choose(role, params.get(PARAMS.role) || "");
    }

    [agency, role].forEach(function (select) {
      select.addEventListener("change", function () { apply(); writeUrl(); });
    });
    form.querySelector(".ckh-deadlines-clear").addEventListener("click", function () {
      agency.value = role.value = "";
      apply();
      writeUrl();
    });
    window.addEventListener("pageshow", function () { readUrl(); apply(); });
    readUrl();
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
