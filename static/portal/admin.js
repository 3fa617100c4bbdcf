// Admin pages: behaviour that used to be inline event handlers, which the
// Content-Security-Policy forbids.
"use strict";

// A link with data-submit-form="<form id>" submits that form (a POST form kept
// outside the change form, since forms cannot nest).
document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-submit-form]");
  if (link === null) {
    return;
  }
  const form = document.getElementById(link.dataset.submitForm);
  if (form !== null) {
    event.preventDefault();
    form.submit();
  }
});
