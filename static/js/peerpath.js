// PeerPath's small behaviours. Loaded as a file (strict CSP: no inline script).
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first field with an error so that it is announced and easy to fix.
  const firstInvalid = document.querySelector(".is-invalid");
  if (firstInvalid) firstInvalid.focus();
});
