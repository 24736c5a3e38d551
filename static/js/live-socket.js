// One live connection for a page: connects to the element's data-socket path, shows
// the status element's data-connected / data-disconnected text, marks the element
// data-live, passes each JSON message to onMessage, and reconnects with backoff unless
// the server refused the person (4401 signed out, 4403 not allowed).
window.portalLiveSocket = function (element, status, onMessage) {
  "use strict";
  let delay = 1000;
  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + element.dataset.socket);
    socket.addEventListener("open", function () {
      delay = 1000;
      status.textContent = status.dataset.connected;
      element.dataset.live = "true";
    });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      onMessage(message);
    });
    socket.addEventListener("close", function (event) {
      element.dataset.live = "false";
      status.textContent = status.dataset.disconnected;
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
};
