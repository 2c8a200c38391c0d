// Runledger web UI: confirmation dialogs, live parts of pages over server-sent events, and the
// CSRF header of htmx requests. No inline script anywhere (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  function csrf() {
    var main = document.getElementById("main");
    return main ? main.getAttribute("data-csrf") : null;
  }

  // An action button opens its dialog; the dialog's form does the action.
  document.addEventListener("click", function (e) {
    var opener = e.target.closest("[data-opens]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens"));
      if (dialog && dialog.showModal) {
        e.preventDefault();
        dialog.showModal();
        var first = dialog.querySelector("textarea, input:not([type=hidden]), button");
        if (first) first.focus();
      }
      return;
    }
    var closer = e.target.closest("[data-closes]");
    if (closer) {
      e.preventDefault();
      var d = closer.closest("dialog");
      if (d) d.close();
    }
  });

  // Live parts: an element with data-live="url" follows that stream; an event named like one of
  // its data-slot children replaces that child's content (or, with data-append, adds to it).
  function follow(container) {
    var url = container.getAttribute("data-live");
    if (!url || !window.EventSource) return;
    var source = new EventSource(url);
    container.querySelectorAll("[data-slot]").forEach(function (slot) {
      var name = slot.getAttribute("data-slot");
      source.addEventListener(name, function (ev) {
        if (slot.hasAttribute("data-append")) {
          var stick = slot.scrollTop + slot.clientHeight >= slot.scrollHeight - 4;
          slot.insertAdjacentHTML("beforeend", ev.data);
          if (stick) slot.scrollTop = slot.scrollHeight;
        } else {
          // never under a person's hands: a dialog open in the slot stays as it is
          if (slot.querySelector("dialog[open]")) return;
          slot.innerHTML = ev.data;
        }
        if (window.htmx) window.htmx.process(slot);
        container.setAttribute("data-live-updated", String(Date.now()));
      });
    });
    source.addEventListener("end", function () {
      source.close();
      container.setAttribute("data-live-ended", "true");
      // a page whose subject ended shows what ending brings; not while a dialog is open in it
      if (container.hasAttribute("data-reload-on-end") && !document.querySelector("dialog[open]")) {
        window.location.reload();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(follow);
    document.body.addEventListener("htmx:configRequest", function (e) {
      var token = csrf();
      if (token) e.detail.headers["X-CSRF-Token"] = token;
    });
  });
})();

// A button with data-print prints the page (the brief: its print stylesheet leaves out the frame).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
