// A mentor's dashboard: mentee cards update over a WebSocket when a mentee does something.
(function () {
  "use strict";
  const list = document.getElementById("mentees");
  if (!list) return;
  const status = document.getElementById("mentor-status");
  let delay = 1000;

  function set(card, name, text) {
    const field = card.querySelector('[data-field="' + name + '"]');
    if (field) field.textContent = text;
  }

  function render(row) {
    const card = list.querySelector('[data-mentee="' + row.id + '"]');
    if (!card) { window.location.reload(); return; } // a new mentee: the page has the full card
    set(card, "team", row.team);
    set(card, "name", row.name);
    set(card, "onboarding", row.onboarding_total ? row.onboarding_done + " of " + row.onboarding_total + " courses" : "No onboarding path set");
    set(card, "scenarios", row.scenarios ? row.scenarios + " played, " + row.scenario_average + "% average" : "None yet");
    set(card, "shares", row.shares ? row.shares + ", quality " + row.share_quality : "None yet");
    set(card, "level", (row.level || "—") + " · " + row.points + " points");
    set(card, "badges", row.badges.length ? row.badges.join(", ") : "None yet");
    set(card, "last_active", row.last_active_label);
    set(card, "goals", String(row.open_goals));
    card.querySelector('[data-field="checkin_due"]').hidden = !row.checkin_due;
    card.classList.add("is-new");
    setTimeout(function () { card.classList.remove("is-new"); }, 2000);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + list.dataset.socket);
    socket.addEventListener("open", function () {
      delay = 1000;
      status.textContent = status.dataset.connected;
      list.dataset.live = "true";
    });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "mentee" && message.row) render(message.row);
      if (message.type === "removed") {
        const card = list.querySelector('[data-mentee="' + message.mentee + '"]');
        if (card) card.remove();
      }
    });
    socket.addEventListener("close", function (event) {
      list.dataset.live = "false";
      status.textContent = status.dataset.disconnected;
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
