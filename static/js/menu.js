// On small screens the main navigation folds behind a "Menu" button, so the page's own
// content starts at the top of the first screen. Without JavaScript the list shows as it
// always did. Escape closes the menu and gives the focus back to the button.
(function () {
  "use strict";
  const button = document.querySelector("[data-menu-button]");
  const header = button && button.closest(".site-header");
  const nav = header && header.querySelector(".site-nav");
  if (!nav) return;
  button.hidden = false;
  header.classList.add("has-menu");

  function open(yes) {
    button.setAttribute("aria-expanded", String(yes));
    nav.classList.toggle("is-open", yes);
  }

  button.addEventListener("click", function () {
    open(button.getAttribute("aria-expanded") !== "true");
    if (nav.classList.contains("is-open")) {
      const first = nav.querySelector("a, button");
      if (first) first.focus();
    }
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("is-open")) {
      open(false);
      button.focus();
    }
  });
})();
