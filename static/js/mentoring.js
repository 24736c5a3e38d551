// A mentor's dashboard: mentee cards update over a WebSocket when a mentee does something.
(function () {
  "use strict";
  const list = document.getElementById("mentees");
  if (!list) return;
  const status = document.getElementById("mentor-status");

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

  window.portalLiveSocket(list, status, function (message) {
    if (message.type === "mentee" && message.row) render(message.row);
    if (message.type === "removed") {
      const card = list.querySelector('[data-mentee="' + message.mentee + '"]');
      if (card) card.remove();
    }
  });
})();
