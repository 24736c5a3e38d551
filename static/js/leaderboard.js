// The leaderboard, live: the server-rendered list is replaced by each snapshot or
// update from the socket. Rank changes flash gently (not with reduced motion); the
// socket reconnects with backoff and the server sends a fresh snapshot on connect.
(function () {
  "use strict";
  // Choosing another board or season shows it at once (the Show button is for pages
  // without JavaScript); the control chosen keeps the focus across the reload.
  const switcher = document.querySelector(".board-switcher");
  if (switcher) {
    const show = switcher.querySelector("button[type=submit]");
    if (show) show.hidden = true;
    const focused = window.sessionStorage && sessionStorage.getItem("board-switcher-focus");
    if (focused) {
      sessionStorage.removeItem("board-switcher-focus");
      const control = switcher.querySelector("#" + CSS.escape(focused));
      if (control) control.focus();
    }
    switcher.addEventListener("change", function (event) {
      if (window.sessionStorage && event.target.id) {
        sessionStorage.setItem("board-switcher-focus", event.target.id);
      }
      switcher.requestSubmit ? switcher.requestSubmit() : switcher.submit();
    });
  }

  const root = document.getElementById("leaderboard");
  if (!root || !("WebSocket" in window)) return;
  const list = root.querySelector("[data-entries]");
  const aroundSection = root.querySelector("[data-around-section]");
  const around = root.querySelector("[data-around]");
  const me = root.querySelector("[data-me]");
  const status = root.querySelector("[data-status]");
  let delay = 1000;
  let version = -1;

  function entry(data, previous) {
    const item = document.createElement("li");
    item.className = "entry" + (data.you ? " is-you" : "");
    item.dataset.name = data.name;
    const rank = document.createElement("span");
    rank.className = "entry-rank";
    rank.textContent = data.rank;
    const avatar = document.createElement("span");
    avatar.className = "avatar";
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = data.initials;
    const name = document.createElement("span");
    name.className = "entry-name";
    name.append(data.name);
    if (data.you) {
      const tag = document.createElement("span");
      tag.className = "tag tag-ok";
      tag.textContent = pgettext("marks your own entry", "you");
      name.append(" ", tag);
    }
    const level = document.createElement("span");
    level.className = "entry-level";
    level.textContent = data.level;
    name.append(level);
    const points = document.createElement("span");
    points.className = "entry-points";
    points.textContent = data.points + " ";
    const unit = document.createElement("span");
    unit.className = "visually-hidden";
    unit.textContent = gettext("points");
    points.append(unit);
    item.append(rank, avatar, name, points);
    const before = previous[data.name];
    if (before === undefined) item.classList.add("is-new");
    else if (before > data.rank) item.classList.add("moved-up");
    else if (before < data.rank) item.classList.add("moved-down");
    return item;
  }

  function ranksIn(element) {
    const ranks = {};
    element.querySelectorAll(".entry").forEach(function (item) {
      ranks[item.dataset.name] = Number(item.querySelector(".entry-rank").textContent);
    });
    return ranks;
  }

  function render(message) {
    if (message.version < version) return; // an older message arriving late
    version = message.version;
    const previous = ranksIn(list);
    const items = message.entries.map(function (data) { return entry(data, previous); });
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = gettext("Nobody has points here yet.");
      items.push(empty);
    }
    list.replaceChildren.apply(list, items);
    if (me && message.me) {
      // The same words as the page: the board and its season, and the note for people
      // who chose not to be listed.
      const season = root.dataset.windowLabel;
      if (message.me.rank) {
        // The page's own sentence, with the <strong> part as its own element.
        const points = message.me.points;
        const words = {rank: message.me.rank, points: points, board: root.dataset.boardLabel, season: season};
        const sentence = interpolate(ngettext(
          "<strong>You are #%(rank)s</strong> with %(points)s point on %(board)s, %(season)s.",
          "<strong>You are #%(rank)s</strong> with %(points)s points on %(board)s, %(season)s.",
          points), words, true);
        const parts = sentence.split(/<\/?strong>/);
        const place = document.createElement("strong");
        place.textContent = parts[1] || "";
        me.replaceChildren(
          parts[0] || "", place, (parts[2] || "") +
            ("hidden" in root.dataset ? " " + gettext("Only you see this: you chose not to be listed.") : "")
        );
      } else {
        me.textContent = interpolate(gettext(
          "No points on this board yet, %(season)s. Complete training or share something to appear."),
          {season: season}, true);
      }
    }
    if (around && message.around) {
      // Sent with the snapshot and whenever your own points move.
      const before = ranksIn(around);
      around.replaceChildren.apply(
        around, message.around.map(function (data) { return entry(data, before); }));
    }
    if (aroundSection && message.me) {
      aroundSection.hidden = !(message.me.rank && message.me.rank > message.entries.length &&
                               around.children.length);
    }
    if (message.at) {
      status.textContent = interpolate(gettext("Live: updated at %(time)s."),
        {time: new Date(message.at).toLocaleTimeString(document.documentElement.lang)}, true);
    }
    setTimeout(function () {
      root.querySelectorAll(".moved-up, .moved-down, .is-new").forEach(function (item) {
        item.classList.remove("moved-up", "moved-down", "is-new");
      });
    }, 1500);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + root.dataset.socket);
    socket.addEventListener("open", function () {
      delay = 1000;
      version = -1; // a fresh snapshot follows
      root.dataset.live = "true";
      status.textContent = gettext("Live: this board updates as people earn points.");
    });
    socket.addEventListener("message", function (event) {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type === "snapshot" || message.type === "update") render(message);
    });
    socket.addEventListener("close", function (event) {
      root.dataset.live = "false";
      if (event.code === 4401 || event.code === 4403) return;
      status.textContent = gettext("Reconnecting…");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
