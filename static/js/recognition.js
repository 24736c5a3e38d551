// The recognition feed: new recognition and kudos arrive over a WebSocket and go on top.
(function () {
  "use strict";
  const feed = document.getElementById("recognition-feed");
  if (!feed) return;
  const status = document.getElementById("recognition-status");
  const template = document.getElementById("recognition-entry-template");

  function existing(entry) {
    return feed.querySelector('[data-entry="' + CSS.escape(String(entry.id)) + '"]');
  }

  function fill(item, entry) {
    const field = function (name) { return item.querySelector('[data-field="' + name + '"]'); };
    field("category").textContent = entry.category;
    field("when").textContent = entry.when;
    field("when").setAttribute("datetime", entry.at);
    field("giver").textContent = entry.giver.charAt(0).toUpperCase() + entry.giver.slice(1);
    field("recipient").textContent = entry.recipient;
    field("points").textContent = entry.points
      ? " · " + interpolate(gettext("+%(points)s points"), { points: entry.points }, true)
      : "";
    field("badge").textContent = entry.badge
      ? " · " + interpolate(gettext("badge “%(badge)s”"), { badge: entry.badge }, true)
      : "";
    field("message").textContent = entry.message;
    field("message").hidden = !entry.message;
    const verb = item.querySelector(".recognition-line");
    verb.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        node.textContent = " " + (entry.kind === "kudos" ? gettext("thanked") : gettext("recognised")) + " ";
      }
    });
  }

  function render(entry) {
    if (existing(entry)) return;
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.entry = entry.id;
    item.classList.add("recognition-" + entry.kind, "is-new");
    fill(item, entry);
    const empty = feed.querySelector("[data-empty]");
    if (empty) empty.remove();
    feed.prepend(item);
    setTimeout(function () { item.classList.remove("is-new"); }, 2000);
  }

  window.portalLiveSocket(feed, status, function (message) {
    if (message.type === "recognition" && message.entry) render(message.entry);
    // Someone withdrew consent (or left): redraw the entries that showed them, as now allowed.
    if (message.type === "retraction" && Array.isArray(message.entries)) {
      message.entries.forEach(function (entry) {
        const item = existing(entry);
        if (item) fill(item, entry);
      });
      (message.removed || []).forEach(function (id) {
        const item = existing({ id: id });
        if (item) item.remove();
      });
    }
  });
})();
