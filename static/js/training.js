// Scenarios, quizzes and reflections answer in place: the form posts with fetch and the
// server sends the block's new HTML. Without JavaScript the same forms post and redirect.
(function () {
  "use strict";

  function showError(block, message) {
    let box = block.querySelector("[data-error]");
    if (!box) {
      box = document.createElement("p");
      box.className = "form-errors";
      box.setAttribute("role", "alert");
      box.setAttribute("data-error", "");
      block.prepend(box);
    }
    box.textContent = message;
  }

  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("[data-training-form]");
    const block = form && form.closest("[data-training-block]");
    if (!block) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      const data = await response.json().catch(function () { return {}; });
      if (!response.ok) {
        showError(block, data.error || gettext("Something went wrong; reload the page and try again."));
        if (button) button.disabled = false;
        return;
      }
      if (data.reload) {
        // The lesson is complete: load it afresh at its status. A query (?retry=...)
        // must go, or the page would reload into the empty form it asked for.
        if (window.location.search) {
          window.location.assign(window.location.pathname + "#lesson-status");
        } else {
          window.location.hash = "lesson-status";
          window.location.reload();
        }
        return;
      }
      block.innerHTML = data.html;
      const focus = block.querySelector("[data-focus]") || block.querySelector("h2");
      if (focus) {
        if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
        focus.focus();
      }
    } catch (error) {
      showError(block, gettext("The connection was lost; check your network and try again."));
      if (button) button.disabled = false;
    }
  });
})();
