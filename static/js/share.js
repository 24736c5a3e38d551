/* Content hub: the share form's suggestion, counter and "personal touch" hint, and copying
   the finished post. The page works without this script; it only helps. */
(function () {
  "use strict";

  function words(text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []);
  }

  // Like the server's difflib ratio: 2 * matching words / all words (longest common run
  // of words, not necessarily contiguous). Good enough for a hint; the server decides.
  function similarity(a, b) {
    if (!a.length && !b.length) return 1;
    var previous = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var current = [0];
      for (var j = 1; j <= b.length; j++) {
        current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      previous = current;
    }
    return (2 * previous[b.length]) / (a.length + b.length);
  }

  function touchHint(touch, full) {
    if (touch < 0.1) return gettext("Same as the suggestion: add a line of your own to make it yours.");
    const share = {percent: Math.round(touch * 100) + "%"};
    if (touch < full) return interpolate(gettext("A little of your own voice (%(percent)s yours): say why it matters to you."), share, true);
    return interpolate(gettext("In your own words (%(percent)s yours): this is what makes people click."), share, true);
  }

  var form = document.querySelector("[data-share-form]");
  if (form) {
    var captions = JSON.parse(document.getElementById("suggested-captions").textContent);
    var limits = JSON.parse(document.getElementById("caption-limits").textContent);
    var textarea = form.querySelector("textarea[name=caption]");
    var hint = form.querySelector("[data-touch-hint]");
    var count = form.querySelector("[data-caption-count]");
    var full = parseFloat(form.dataset.touchFull) || 0.4;
    // One post for one or more networks: the suggestion of the first one ticked, and
    // the shortest limit of those ticked.
    var ticked = function () {
      return Array.prototype.map.call(form.querySelectorAll("input[name=network]:checked"), function (box) { return box.value; });
    };
    var network = function () {
      return ticked()[0] || "linkedin";
    };
    var current = network();
    var update = function () {
      var mine = words(textarea.value);
      var touch = mine.length ? 1 - similarity(words(captions[network()] || ""), mine) : 0;
      hint.textContent = mine.length ? touchHint(touch, full) : gettext("Write the text of your post.");
      hint.dataset.touch = touch.toFixed(2);
      var limit = Math.min.apply(null, (ticked().length ? ticked() : [network()]).map(function (name) { return limits[name]; }));
      var left = limit - textarea.value.trim().length;
      count.textContent = left >= 0
        ? interpolate(ngettext("%s character left", "%s characters left", left), [left])
        : interpolate(ticked().length > 1
          ? ngettext("%s character too many for one of these networks", "%s characters too many for one of these networks", -left)
          : ngettext("%s character too many for this network", "%s characters too many for this network", -left), [-left]);
      count.classList.toggle("is-over", left < 0);
    };
    form.addEventListener("change", function (event) {
      if (event.target.name !== "network") return;
      // Swap in the new network's suggestion unless the person has edited the text.
      if (textarea.value.trim() === (captions[current] || "").trim()) textarea.value = captions[network()] || "";
      current = network();
      update();
    });
    textarea.addEventListener("input", update);
    form.querySelector("[data-reset-caption]").addEventListener("click", function () {
      textarea.value = captions[network()] || "";
      update();
      textarea.focus();
    });
    update();
  }

  // The ready page: a card per network, each with its text and tracked link.
  document.querySelectorAll("[data-share-card]").forEach(function (card) {
    var text = card.querySelector("[data-share-text]");
    var status = card.querySelector("[data-copy-status]");
    var select = function () {
      text.focus();
      text.select();
      try {
        if (document.execCommand("copy")) status.textContent = gettext("Copied: paste it into your post.");
        else status.textContent = gettext("Select the text and copy it.");
      } catch (error) {
        status.textContent = gettext("Select the text and copy it.");
      }
    };
    var copy = function () {
      var done = function () { status.textContent = gettext("Copied: paste it into your post."); };
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text.value).then(done, function () { select(); });
      }
      select();
      return Promise.resolve();
    };
    card.querySelector("[data-copy-text]").addEventListener("click", copy);
    var open = card.querySelector("[data-network-share]");
    if (open && open.dataset.copies === "1") open.addEventListener("click", copy);

    // The phone's own share sheet (Web Share API), where the browser has one: the
    // post goes to the network's app with this card's tracked link in it.
    var system = card.querySelector("[data-system-share]");
    var shared = { text: text.value };
    if (system && navigator.share && (!navigator.canShare || navigator.canShare(shared))) {
      system.hidden = false;
      system.addEventListener("click", function () {
        navigator.share(shared).then(function () {
          status.textContent = gettext("Shared.");
        }, function (error) {
          // Closing the sheet is not an error worth showing.
          if (error && error.name !== "AbortError") status.textContent = gettext("Sharing did not work here: copy the text instead.");
        });
      });
    }
  });
})();
