// On the page of an analysis in progress: checks every few seconds whether it has finished and
// then shows the result. Without JavaScript the "refresh" link does the same by hand.
(function () {
  var tries = 0;
  var timer = setInterval(function () {
    if (++tries > 400) { clearInterval(timer); return; }
    fetch(window.location.href, { credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (html.indexOf('data-run-running') === -1) { clearInterval(timer); window.location.reload(); }
      })
      .catch(function () {});
  }, 3000);
})();
