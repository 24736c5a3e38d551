// Live toasts for personal notifications (badge earned, level reached, ...), on every
// page. Reconnects with backoff; the notification list stays the record.
(function () {
  "use strict";
  const region = document.getElementById("toasts");
  if (!region || !("WebSocket" in window)) return;
  let delay = 1000;

  function toast(message) {
    const item = document.createElement("div");
    item.className = "toast";
    const title = document.createElement(message.url ? "a" : "strong");
    title.className = "toast-title";
    title.textContent = message.title;
    if (message.url) title.href = message.url;
    item.append(title);
    if (message.body) {
      const body = document.createElement("p");
      body.textContent = message.body;
      item.append(body);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.append(close);
    region.append(item);
    setTimeout(function () { item.remove(); }, 8000);
    let count = document.querySelector("[data-unread]");
    const link = document.querySelector("[data-notifications]");
    if (!count && link) {
      count = document.createElement("span");
      count.className = "count-badge";
      count.setAttribute("data-unread", "");
      link.append(" ", count);
    }
    if (count) {
      const unread = Number(count.textContent || 0) + 1;
      count.textContent = String(unread);
      count.setAttribute("aria-label", unread + " unread");
    }
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "notification") toast(message);
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
