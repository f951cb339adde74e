// "Select all" ticks every box named in its data-select-all attribute; the list may be swapped in by HTMX,
// so the listener sits on the document.
document.addEventListener("change", function (event) {
  var toggle = event.target.closest("[data-select-all]");
  if (!toggle) return;
  document.querySelectorAll('input[name="' + toggle.dataset.selectAll + '"]').forEach(function (box) {
    box.checked = toggle.checked;
  });
});
