// Progressive enhancement only: every page works without JavaScript.
// Asks before submitting forms marked data-confirm (delete buttons).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Recording a creditor's reply: show only the figures the chosen kind of
// reply has (without JavaScript every field shows, and the server checks).
function showEventFields(select) {
  const form = select.form;
  const details = form.querySelector("[data-event-details]");
  let shown = 0;
  form.querySelectorAll("[data-event-types]").forEach((box) => {
    const on = box.dataset.eventTypes.split(" ").includes(select.value);
    box.hidden = !on;
    shown += on ? 1 : 0;
  });
  if (details) details.hidden = shown === 0;
}
document.querySelectorAll("form select#type").forEach((select) => {
  if (!select.form.querySelector("[data-event-types]")) return;
  showEventFields(select);
  select.addEventListener("change", () => showEventFields(select));
});
