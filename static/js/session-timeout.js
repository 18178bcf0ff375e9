// Warns before the server ends an idle session, and offers "Stay signed in".
// The server says how many seconds are left in <body data-session-seconds> and when to warn
// in data-session-warning; the button POSTs to data-keep-alive-url. Loaded as a file (CSP).
(() => {
  "use strict";

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  document.addEventListener("DOMContentLoaded", () => {
    const body = document.body;
    const panel = document.getElementById("session-timeout-warning");
    if (!panel || !body.dataset.sessionSeconds) return;
    const warnBefore = Number(body.dataset.sessionWarning || 120);
    const keepAliveUrl = body.dataset.keepAliveUrl;
    let warnTimer = null;
    let endTimer = null;

    function schedule(secondsLeft) {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      panel.classList.add("d-none");
      const finalStretch = secondsLeft <= warnBefore;
      panel.querySelector("[data-timeout-message]").classList.toggle("d-none", finalStretch);
      panel.querySelector("[data-timeout-final]").classList.toggle("d-none", !finalStretch);
      panel.querySelector("[data-keep-alive]").classList.toggle("d-none", finalStretch);
      warnTimer = setTimeout(show, Math.max(0, secondsLeft - warnBefore) * 1000);
      // Past the limit the server has ended the session: reloading shows the sign-in page,
      // and form-draft.js keeps what was typed.
      endTimer = setTimeout(() => window.location.reload(), (secondsLeft + 1) * 1000);
    }

    function show() {
      panel.classList.remove("d-none");
      const button = panel.querySelector("[data-keep-alive]");
      if (!button.classList.contains("d-none")) button.focus();
    }

    panel.querySelector("[data-keep-alive]").addEventListener("click", async () => {
      try {
        const response = await fetch(keepAliveUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        });
        const data = response.ok ? await response.json() : null;
        if (data && typeof data.seconds_left === "number") {
          schedule(data.seconds_left);
          return;
        }
      } catch (error) {
        // Offline or signed out already: fall through to a reload.
      }
      window.location.reload();
    });

    schedule(Number(body.dataset.sessionSeconds));
  });
})();
