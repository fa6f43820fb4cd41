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
