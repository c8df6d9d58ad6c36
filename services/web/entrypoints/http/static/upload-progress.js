// Progressive enhancement of an upload's import page: without JavaScript the page has a refresh link;
// with it, the progress bar follows the import and the page reloads to show the report when it ends.
(function () {
  var box = document.getElementById("progress");
  if (!box || !box.dataset.poll) return;
  var bar = document.getElementById("import-progress");
  var done = document.getElementById("rows-done");
  var total = document.getElementById("rows-total");
  function poll() {
    fetch(box.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.json(); })
      .then(function (p) {
        if (p.state !== "importing") { window.location.reload(); return; }
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        done.textContent = p.done;
        total.textContent = p.total;
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
