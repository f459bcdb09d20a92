// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary after a form was re-rendered with errors (the GOV.UK pattern).
document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
});
