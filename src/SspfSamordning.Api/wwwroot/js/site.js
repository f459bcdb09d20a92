// Progressive enhancement only: every page works without this file, and the server checks everything again.

// Moves focus to the error summary after a form was re-rendered with errors (the GOV.UK pattern).
document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
});

// A personnummer is checked as it is typed (when the field is left, and again while it is corrected): the form, the
// Luhn check digit and a real date, the same rule as the server's (Personnummer.TryParseNumber). Whether the birth
// date lies in the future or too far back is left to the server, which knows today's date in Sweden.
function personnummerLooksValid(value) {
    var text = value.trim();
    var separator = text.length === 11 || text.length === 13 ? text.charAt(text.length - 5) : "";
    if (separator) {
        if (separator !== "-" && separator !== "+") return false;
        text = text.slice(0, text.length - 5) + text.slice(text.length - 4);
    }
    if (!/^(\d{10}|\d{12})$/.test(text)) return false;
    if (text.length === 12 && separator === "+") return false;
    var ten = text.slice(-10), sum = 0;
    for (var i = 0; i < 10; i++) {
        var digit = (ten.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
        sum += digit > 9 ? digit - 9 : digit;
    }
    if (sum % 10 !== 0) return false;
    var month = parseInt(ten.slice(2, 4), 10), day = parseInt(ten.slice(4, 6), 10);
    if (day > 60) day -= 60; // samordningsnummer
    // Ten digits do not say the century; a year of the same leap-ness serves for the days of February.
    var year = text.length === 12 ? parseInt(text.slice(0, 4), 10) : 2000 + parseInt(ten.slice(0, 2), 10);
    return month >= 1 && month <= 12 && day >= 1 && day <= new Date(year, month, 0).getDate();
}

document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.input--personnummer").forEach(function (input) {
        var message = document.createElement("p");
        message.className = "field-error";
        message.id = input.id + "-check";
        message.setAttribute("aria-live", "polite");
        message.hidden = true;
        input.parentNode.insertBefore(message, input);
        var serverError = input.getAttribute("aria-invalid") === "true";
        var checked = false;
        function check() {
            var value = input.value;
            var wrong = value.trim() !== "" && !personnummerLooksValid(value);
            message.textContent = wrong ? "Ogiltigt personnummer. Kontrollera siffrorna." : "";
            message.hidden = !wrong;
            var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== message.id; });
            if (wrong) described.push(message.id);
            if (described.length) input.setAttribute("aria-describedby", described.join(" "));
            else input.removeAttribute("aria-describedby");
            if (wrong || serverError) input.setAttribute("aria-invalid", "true");
            else input.removeAttribute("aria-invalid");
        }
        input.addEventListener("change", function () { checked = true; serverError = false; check(); });
        input.addEventListener("input", function () { if (checked) check(); });
    });
});
