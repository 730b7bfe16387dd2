/* feedback.js - "Fandt du det, du søgte?" without a reload. Without it
 * the form is a plain POST to /feedback that comes back to the page with
 * "Tak for dit svar". With it: choosing "Nej" opens the comment field,
 * and "Send svar" sends the answer to POST /api/v1/feedback; the form is
 * then replaced by the thanks. */
(function () {
  "use strict";
  var form = document.querySelector("form.feedback-form");
  if (!form || !window.fetch || !window.JSON) return;
  var sec = form.parentNode;
  var more = form.querySelector("details.feedback-more");
  var comment = form.querySelector("textarea[name=comment]");
  var errBox = form.querySelector(".feedback-error");
  var csrf = form.getAttribute("data-csrf") || "";
  var sending = false;

  function field(name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }

  function thanks() {
    var p = document.createElement("p");
    p.className = "feedback-thanks";
    p.setAttribute("role", "status");
    p.textContent = "Tak for dit svar.";
    sec.replaceChild(p, form);
  }

  function send(found) {
    if (sending) return;
    sending = true;
    errBox.textContent = "";
    var body = { found: found, page: field("page") };
    if (field("article_id")) body.article_id = parseInt(field("article_id"), 10);
    if (field("q")) body.query = field("q");
    if (field("municipality")) body.municipality = field("municipality");
    if (comment && comment.value.trim()) body.comment = comment.value;
    var h = { "Content-Type": "application/json", "Accept": "application/json" };
    if (csrf) h["X-CSRF-Token"] = csrf;
    fetch("/api/v1/feedback", { method: "POST", headers: h,
                                credentials: "same-origin",
                                body: JSON.stringify(body) })
      .then(function (r) {
        /* the body is read either way, so the request ends */
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.ok) { thanks(); return; }
          throw new Error(j.field === "comment"
            ? "Kommentaren må højst være på 500 tegn."
            : "Dit svar blev ikke gemt. Prøv igen om lidt.");
        });
      })
      .catch(function (e) {
        sending = false;
        errBox.textContent = e.message || "Dit svar blev ikke gemt. Prøv igen om lidt.";
      });
  }

  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.name !== "found") return;
    /* nothing is sent on a change (arrow keys move through the radio
       buttons); "Nej" only opens the comment field */
    if (t.value === "nej" && more && !more.open) {
      more.open = true;
      if (comment) comment.focus();
    }
  });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var chosen = form.querySelector("input[name=found]:checked");
    if (!chosen) {
      errBox.textContent = "Vælg Ja eller Nej.";
      return;
    }
    send(chosen.value === "ja");
  });
})();
