// The case form: the currency follows the country ("Where you live") until the
// user picks a currency of their own. The server does the same on submit when
// JavaScript is off (CaseForm.chosen_currency): the hidden "currency_shown"
// holds the currency Parley chose, and is emptied once the user chooses one.
document.addEventListener("DOMContentLoaded", () => {
  const country = document.getElementById("jurisdiction");
  const currency = document.getElementById("currency");
  const shown = document.getElementById("currency_shown");
  if (!country || !currency || !shown) {
    return;
  }
  const own = JSON.parse(country.dataset.currencies || "{}");
  country.addEventListener("change", () => {
    const next = own[country.value];
    if (next && shown.value !== "") {
      currency.value = next;
      shown.value = next;
    }
  });
  currency.addEventListener("change", () => {
    shown.value = "";
  });
});
