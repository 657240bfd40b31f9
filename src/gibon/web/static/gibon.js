// Phone width: each table cell carries its column's header, so a table can fold into cards.
document.querySelectorAll("table.data").forEach((table) => {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!heads.length) return;
  table.querySelectorAll("tbody tr").forEach((tr) => {
    [...tr.children].forEach((cell, i) => {
      if (!cell.hasAttribute("data-label") && heads[i]) cell.setAttribute("data-label", heads[i]);
    });
  });
});

// gibon's page scripts: files only, so the Content-Security-Policy can forbid inline script.

// <select data-autosubmit> sends its form as soon as a choice is made.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined && target.form) {
    target.form.submit();
  }
});

// Print buttons (the print stylesheet keeps the content, drops menus and forms).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
