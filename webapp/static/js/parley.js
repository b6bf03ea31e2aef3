// Progressive enhancement only: every page works without JavaScript.
// Asks before submitting forms marked data-confirm (delete buttons).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
