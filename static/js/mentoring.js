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
    const none = gettext("None yet");
    set(card, "onboarding", row.onboarding_total
      ? interpolate(gettext("%(done)s of %(total)s courses"), { done: row.onboarding_done, total: row.onboarding_total }, true)
      : gettext("No onboarding path set"));
    set(card, "scenarios", row.scenarios
      ? interpolate(gettext("%(played)s played, %(average)s%% average"), { played: row.scenarios, average: row.scenario_average }, true).replace("%%", "%")
      : none);
    set(card, "shares", row.shares
      ? interpolate(gettext("%(shares)s, quality %(quality)s"), { shares: row.shares, quality: row.share_quality }, true)
      : none);
    set(card, "level", (row.level || "—") + " · " + interpolate(gettext("%(points)s points"), { points: row.points }, true));
    set(card, "badges", row.badges.length ? row.badges.join(", ") : none);
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
