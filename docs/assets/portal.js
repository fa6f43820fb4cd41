// Copy buttons for permanent links and citations. Without JavaScript the buttons stay hidden
// and the citation and address remain visible on the page.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function announce(message) {
    var status = document.getElementById("ckh-copy-status");
    if (!status) {
      status = document.createElement("div");
      status.id = "ckh-copy-status";
      status.className = "ckh-toast";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = message;
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () { status.textContent = ""; }, 3000);
  }

  function copyButton(label, text, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ckh-copy-task";
    button.textContent = label;
    button.setAttribute("data-copy", text);
    button.setAttribute("aria-label", name);
    return button;
  }

  // A task row's citation is its data-cite, then its table's data-cite-in (the plan, written
  // once a table); its permanent address is the row's own link read against the page's
  // canonical address. Its two copy buttons are made here rather
  // than written into the page: fifty rows would otherwise carry each citation three times and
  // each address twice.
  var canonical = document.querySelector('link[rel="canonical"]');
  var base = canonical ? canonical.href : location.href;
  document.querySelectorAll("tr[data-cite]").forEach(function (row) {
    var link = row.querySelector('th[scope="row"] > a');
    if (!link) return;
    var url = new URL(link.getAttribute("href"), base).href;
    var table = row.closest("[data-cite-in]");
    var cite = row.getAttribute("data-cite") + (table ? ", " + table.getAttribute("data-cite-in") : "");
    var box = document.createElement("span");
    box.className = "ckh-copy";
    box.appendChild(copyButton("Sao chép liên kết", url, "Sao chép liên kết: " + cite));
    box.appendChild(copyButton("Trích dẫn", cite + "\n" + url, "Sao chép trích dẫn: " + cite));
    link.parentNode.insertBefore(box, link.nextSibling);
  });

  document.querySelectorAll(".ckh-copy[hidden]").forEach(function (box) {
    box.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    copyText(button.getAttribute("data-copy")).then(
      function () { announce("Đã sao chép vào bộ nhớ tạm."); },
      function () { announce("Không sao chép được; hãy chọn và sao chép thủ công."); }
    );
  });
})();
