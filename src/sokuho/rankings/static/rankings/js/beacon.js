/* sokuho: counts one view of this article for the 人気ランキング. First-party only: no
   cookie, no storage, no identifier; the server keeps counts, not readers. */
(function () {
  "use strict";
  var script = document.currentScript;
  var article = document.querySelector("article[data-page-id]");
  if (!article || !navigator.sendBeacon) return;
  var id = Number(article.getAttribute("data-page-id"));
  if (!(id > 0) || id % 1 !== 0) return;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/pv/";
  var sent = false;
  function send() {
    if (sent) return;
    sent = true;
    var body = new Blob([JSON.stringify({ page: id })], { type: "application/json" });
    navigator.sendBeacon(endpoint, body);
  }
  // A prerendered or background tab is not a reader yet: wait until it is shown.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else if (document.visibilityState === "hidden") {
    document.addEventListener("visibilitychange", function onShow() {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", onShow);
        send();
      }
    });
  } else {
    send();
  }
})();
