// Live updates for a submission's page: while the submission is in progress, each status change the server relays
// (server-sent events) swaps in the freshly rendered timeline panel. Without JavaScript the page is complete as served.
(function () {
  function start() {
    var panel = document.querySelector('[data-live-timeline]');
    if (!panel || panel.dataset.liveStarted || panel.querySelector('[data-terminal="true"]')) return;
    panel.dataset.liveStarted = 'true';
    var source = new EventSource(panel.dataset.liveEvents);
    var refresh = function () {
      return fetch(panel.dataset.liveFragment, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var current = document.querySelector('[data-live-timeline]');
          if (html && current) current.innerHTML = html;
          if (current && current.querySelector('[data-terminal="true"]')) source.close();
        });
    };
    source.addEventListener('status', refresh);
    // The stream ends after a terminal status; the browser would reconnect, so read the final state once and stop.
    source.onerror = function () { source.close(); refresh(); };
  }
  document.addEventListener('DOMContentLoaded', start);
  if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener('enhancedload', start);
})();
