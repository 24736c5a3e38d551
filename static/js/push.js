// Notifications on this device (Web Push): turn them on (the browser asks for permission,
// subscribes with the portal's key, and the portal keeps the subscription) or off.
(function () {
  "use strict";
  const section = document.querySelector("[data-push]");
  if (!section) return;
  const on = section.querySelector("[data-push-on]");
  const off = section.querySelector("[data-push-off]");
  const status = section.querySelector("[data-push-status]");
  const token = section.querySelector("input[name=csrfmiddlewaretoken]").value;

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) {
    status.textContent = gettext("This browser cannot receive notifications from the portal.");
    return;
  }

  function key(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (char) { return char.charCodeAt(0); });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "X-Requested-With": "fetch" },
      body: JSON.stringify(body),
    });
  }

  const devices = section.querySelector("[data-push-devices]");
  function count(response) {
    return response.json().then(function (data) {
      if (typeof data.devices !== "number") return;
      devices.textContent = data.devices === 0 ? gettext("No device receives your notifications yet.")
        : interpolate(ngettext("%s device receives your notifications.", "%s devices receive your notifications.", data.devices), [data.devices]);
    }, function () {});
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    status.textContent = subscribed ? gettext("Notifications are on for this device.") : gettext("Notifications are off for this device.");
  }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(!!subscription);

      on.addEventListener("click", async function () {
        on.disabled = true;
        try {
          const permission = await Notification.requestPermission();
          if (permission !== "granted") {
            status.textContent = gettext("Your browser blocks notifications from the portal: allow them in its site settings, then try again.");
            return;
          }
          const made = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(section.dataset.key) });
          const response = await post(section.dataset.subscribe, made.toJSON());
          if (!response.ok) {
            const data = await response.json().catch(function () { return {}; });
            await made.unsubscribe();
            status.textContent = data.error || gettext("The portal could not keep this device's subscription; try again.");
            return;
          }
          await count(response);
          show(true);
        } catch (error) {
          status.textContent = gettext("This browser could not reach its push service; try again later.");
        } finally {
          on.disabled = false;
        }
      });

      off.addEventListener("click", async function () {
        off.disabled = true;
        try {
          const current = await registration.pushManager.getSubscription();
          if (current) {
            await count(await post(section.dataset.unsubscribe, { endpoint: current.endpoint }));
            await current.unsubscribe();
          }
          show(false);
        } finally {
          off.disabled = false;
        }
      });
    });
  });
})();
