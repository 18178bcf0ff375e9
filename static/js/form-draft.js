// Keeps a draft of long forms in this browser tab, so a session timeout never loses answers.
// Opt in with <form data-draft>. Values are saved to sessionStorage (this tab only, gone when
// it closes) as the person types, keyed by the page path; passwords, hidden fields, files and
// the CSRF token are never saved. The draft is restored when the form's page loads again (for
// example after signing back in) and dropped once a submit leads to another page. Signing
// out (<form data-draft-clear>) drops every draft. Loaded as a file (strict CSP).
(() => {
  "use strict";
  const PREFIX = "peerpath-draft:";
  const PENDING = "peerpath-draft-pending:";
  const SKIPPED = new Set(["password", "hidden", "file", "submit", "button", "reset", "image"]);

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }

  function keyFor(form, index) {
    return `${PREFIX}${window.location.pathname}#${form.id || index}`;
  }

  function savable(field) {
    return (
      field.name &&
      field.name !== "csrfmiddlewaretoken" &&
      !SKIPPED.has(field.type) &&
      !field.disabled &&
      !field.hasAttribute("data-draft-skip")
    );
  }

  function snapshot(form) {
    const values = {};
    for (const field of form.elements) {
      if (!savable(field)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        values[field.name] = values[field.name] || [];
        if (field.checked) values[field.name].push(field.value);
      } else if (field.tagName === "SELECT" && field.multiple) {
        values[field.name] = Array.from(field.selectedOptions, (option) => option.value);
      } else {
        values[field.name] = field.value;
      }
    }
    return values;
  }

  function restore(form, values) {
    for (const field of form.elements) {
      if (!savable(field) || !(field.name in values)) continue;
      const value = values[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = Array.isArray(value) && value.includes(field.value);
      } else if (field.tagName === "SELECT" && field.multiple) {
        for (const option of field.options) option.selected = value.includes(option.value);
      } else if (typeof value === "string") {
        field.value = value;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const store = storage();
    if (!store) return;
    const keepAll = document.body.hasAttribute("data-draft-keep");

    // A submit that led here from another page succeeded: its draft is no longer needed.
    // The sign-in pages (data-draft-keep) leave drafts alone: a timeout led there.
    // A page at the same address without the form (a "thank you" shown in place) counts too.
    if (!keepAll) {
      const formHere = document.querySelector("form[data-draft]") !== null;
      for (let i = store.length - 1; i >= 0; i -= 1) {
        const name = store.key(i);
        if (!name || !name.startsWith(PENDING)) continue;
        const draftKey = name.slice(PENDING.length);
        const draftPath = draftKey.slice(PREFIX.length).split("#")[0];
        store.removeItem(name);
        if (draftPath !== window.location.pathname || !formHere) store.removeItem(draftKey);
      }
    }

    document.querySelectorAll("form[data-draft]").forEach((form, index) => {
      const key = keyFor(form, index);
      const saved = store.getItem(key);
      const hasErrors = form.querySelector(".is-invalid, .invalid-feedback") !== null;
      // A form re-shown with errors already holds what was sent; otherwise bring back the draft.
      if (saved && !hasErrors) {
        try {
          restore(form, JSON.parse(saved));
        } catch (error) {
          store.removeItem(key);
        }
      }
      const save = () => store.setItem(key, JSON.stringify(snapshot(form)));
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", () => {
        save();
        store.setItem(PENDING + key, "1");
      });
    });

    document.querySelectorAll("form[data-draft-clear]").forEach((form) => {
      form.addEventListener("submit", () => {
        for (let i = store.length - 1; i >= 0; i -= 1) {
          const name = store.key(i);
          if (name && (name.startsWith(PREFIX) || name.startsWith(PENDING))) store.removeItem(name);
        }
      });
    });
  });
})();
