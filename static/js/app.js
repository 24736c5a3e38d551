// The portal as an installable app: registers the service worker (portal/pwa.py) and,
// where the browser offers installation (Chromium's beforeinstallprompt), shows an
// "Install the app" button in the menu. Browsers without that event (Safari) install
// from their own Share menu ("Add to Home Screen"); the profile page says so.
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {
      // Without a worker the portal works as a website; nothing to tell the person.
    });
  }

  let offer = null;
  const items = document.querySelectorAll("[data-install]");
  function show(yes) {
    items.forEach(function (item) { item.hidden = !yes; });
  }
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    offer = event;
    show(true);
  });
  window.addEventListener("appinstalled", function () {
    offer = null;
    show(false);
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-install-button]");
    if (!button || !offer) return;
    offer.prompt();
    offer.userChoice.finally(function () {
      offer = null;
      show(false);
    });
  });
})();
