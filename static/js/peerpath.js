// PeerPath's small behaviours. Loaded as a file (strict CSP: no inline script).

// Easy-read: a button beside a question or a block reads it aloud with the browser's own
// speech synthesis (no outside service): its data-read-aloud text, or the words shown in the
// element named by data-read-aloud-from. Without speech synthesis the button stays hidden.
function readAloudText(button) {
  if (button.dataset.readAloud !== undefined) return button.dataset.readAloud;
  const source = document.getElementById(button.dataset.readAloudFrom);
  return source ? source.innerText.replace(/\s+/g, " ").trim() : "";
}

function setUpReadAloud() {
  if (!("speechSynthesis" in window)) return;
  document.querySelectorAll("[data-read-aloud], [data-read-aloud-from]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const utterance = new SpeechSynthesisUtterance(readAloudText(button));
      utterance.lang = document.documentElement.lang || "en";
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    });
  });
}

// Easy-read: one question per screen with "Question 2 of 6" and Back / Next. Without script
// every question shows on one page and the form works the same.
function setUpOneQuestionPerScreen(form) {
  const steps = [...form.querySelectorAll(".feedback-question")];
  const submit = form.querySelector("[type=submit]");
  if (steps.length < 2 || !submit) return;
  const words = form.dataset;
  const progress = document.createElement("p");
  progress.className = "question-progress";
  progress.setAttribute("aria-live", "polite");
  const bar = document.createElement("div");
  bar.className = "progress mb-3";
  bar.setAttribute("aria-hidden", "true");
  const filled = document.createElement("div");
  filled.className = "progress-bar";
  bar.append(filled);
  form.prepend(progress, bar);

  const nav = document.createElement("div");
  nav.className = "question-nav d-flex flex-wrap gap-2 mb-3";
  const back = document.createElement("button");
  back.type = "button";
  back.className = "btn btn-outline-primary btn-lg question-back";
  back.textContent = words.back || "Back";
  const next = document.createElement("button");
  next.type = "button";
  next.className = "btn btn-primary btn-lg question-next";
  next.textContent = words.next || "Next";
  nav.append(back, next);
  submit.before(nav);

  let current = 0;
  function show(index, moveFocus) {
    current = index;
    steps.forEach((step, i) => { step.hidden = i !== index; });
    const last = index === steps.length - 1;
    back.hidden = index === 0;
    next.hidden = last;
    submit.hidden = !last;
    progress.textContent = (words.progress || "Question {n} of {total}")
      .replace("{n}", index + 1).replace("{total}", steps.length);
    filled.className = `progress-bar w-${Math.round(((index + 1) / steps.length) * 4) * 25}`;
    if (moveFocus) {
      const step = steps[index];
      step.setAttribute("tabindex", "-1");
      step.focus();
    }
  }
  back.addEventListener("click", () => show(Math.max(current - 1, 0), true));
  next.addEventListener("click", () => show(Math.min(current + 1, steps.length - 1), true));
  // A link of the error summary opens the question it names.
  document.querySelectorAll(".error-summary a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      const index = steps.findIndex((step) => step.contains(target));
      if (index < 0) return;
      event.preventDefault();
      show(index, false);
      target.focus();
    });
  });
  const firstError = steps.findIndex((step) => step.querySelector(".is-invalid"));
  show(Math.max(firstError, 0), false);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpReadAloud();
  document.querySelectorAll("form.one-question-per-screen").forEach(setUpOneQuestionPerScreen);
  // Move focus to the first field with an error so that it is announced and easy to fix.
  const firstInvalid = document.querySelector(".is-invalid");
  if (firstInvalid) firstInvalid.focus();
});
