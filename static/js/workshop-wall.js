// The facilitators' wall: answers arrive over a WebSocket and are placed under their
// prompt; highlighting posts with fetch and every open wall shows the change.
(function () {
  "use strict";
  const wall = document.getElementById("wall");
  if (!wall) return;
  const status = document.getElementById("wall-status");
  const template = document.getElementById("wall-answer-template");
  const highlightUrl = wall.dataset.highlightUrl;

  function render(answer) {
    const prompt = wall.querySelector('[data-prompt="' + CSS.escape(answer.prompt_id) + '"]');
    if (!prompt) return;
    let item = document.getElementById("answer-" + answer.id);
    const isNew = !item;
    if (isNew) {
      item = template.content.firstElementChild.cloneNode(true);
      item.id = "answer-" + answer.id;
      item.dataset.answer = answer.id;
      item.querySelector("[data-highlight-form]").action = highlightUrl + answer.id + "/";
      prompt.querySelector("[data-answers]").append(item);
      const count = prompt.querySelector("[data-count]");
      count.textContent = prompt.querySelectorAll("[data-answer]").length;
    }
    item.querySelector("[data-options]").textContent = answer.options.join(", ");
    item.querySelector("[data-text]").textContent =
      (answer.options.length && answer.text ? ": " : "") + answer.text;
    item.querySelector("[data-author]").textContent = answer.author;
    item.classList.toggle("is-highlighted", answer.highlighted);
    const form = item.querySelector("[data-highlight-form]");
    form.querySelector("[name=highlighted]").value = answer.highlighted ? "0" : "1";
    const button = form.querySelector("button");
    button.setAttribute("aria-pressed", answer.highlighted ? "true" : "false");
    button.textContent = answer.highlighted ? "★ " + gettext("Highlighted") : "☆ " + gettext("Highlight");
    if (isNew) {
      item.classList.add("is-new");
      setTimeout(function () { item.classList.remove("is-new"); }, 2000);
    }
  }


  wall.addEventListener("submit", async function (event) {
    const form = event.target.closest("[data-highlight-form]");
    if (!form) return;
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    // The wall updates from the socket; without one, reload to show the change.
    if (!response.ok || wall.dataset.live !== "true") window.location.reload();
  });

  window.portalLiveSocket(wall, status, function (message) {
    if (message.type === "answer") render(message.answer);
  });
})();
