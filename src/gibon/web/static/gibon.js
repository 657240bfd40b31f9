// gibon's page scripts: files only, so the Content-Security-Policy can forbid inline script.

// <select data-autosubmit> sends its form as soon as a choice is made.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined && target.form) {
    target.form.submit();
  }
});
