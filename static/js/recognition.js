// The recognition feed: new recognition and kudos arrive over a WebSocket and go on top.
(function () {
  "use strict";
  const feed = document.getElementById("recognition-feed");
  if (!feed) return;
  const status = document.getElementById("recognition-status");
  const template = document.getElementById("recognition-entry-template");
  let delay = 1000;

  function render(entry) {
    if (document.querySelector('[data-entry="' + CSS.escape(String(entry.id)) + '"]')) return;
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.entry = entry.id;
    item.classList.add("recognition-" + entry.kind, "is-new");
    const field = function (name) { return item.querySelector('[data-field="' + name + '"]'); };
    field("category").textContent = entry.category;
    field("when").textContent = entry.when;
    field("when").setAttribute("datetime", entry.at);
    field("giver").textContent = entry.giver.charAt(0).toUpperCase() + entry.giver.slice(1);
    field("recipient").textContent = entry.recipient;
    field("points").textContent = entry.points ? " · +" + entry.points + " points" : "";
    field("badge").textContent = entry.badge ? " · badge “" + entry.badge + "”" : "";
    field("message").textContent = entry.message;
    field("message").hidden = !entry.message;
    const verb = item.querySelector(".recognition-line");
    verb.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        node.textContent = entry.kind === "kudos" ? " thanked " : " recognised ";
      }
    });
    const empty = feed.querySelector("[data-empty]");
    if (empty) empty.remove();
    feed.prepend(item);
    setTimeout(function () { item.classList.remove("is-new"); }, 2000);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + feed.dataset.socket);
    socket.addEventListener("open", function () {
      delay = 1000;
      status.textContent = status.dataset.connected;
      feed.dataset.live = "true";
    });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "recognition" && message.entry) render(message.entry);
    });
    socket.addEventListener("close", function (event) {
      feed.dataset.live = "false";
      status.textContent = status.dataset.disconnected;
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
