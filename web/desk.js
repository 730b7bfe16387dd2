/* desk.js - keyboard shortcuts for the agent's desk (/borgerservice).
 * The page works without it (accesskeys choose the outcome); this adds
 * Alt+1..4 in every browser, "/" for the knowledge-base search and Alt+N
 * for the note. */
(function () {
  "use strict";

  function typing(el) {
    var tag = el && el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" ||
      (el && el.isContentEditable);
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-4]$/.test(e.code)) {
      var radio = document.getElementById("udfald-" + e.code.slice(5));
      if (radio) {
        e.preventDefault();
        radio.checked = true;
        radio.focus();
        var more = document.querySelector(".desk-more");
        if (more && radio.value !== "resolved_first_contact") {
          more.open = true;
        }
      }
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyN") {
      var note = document.getElementById("note");
      if (note) {
        e.preventDefault();
        var d = document.querySelector(".desk-more");
        if (d) { d.open = true; }
        note.focus();
      }
      return;
    }
    if (e.key === "/" && !e.altKey && !e.ctrlKey && !e.metaKey &&
        !typing(document.activeElement)) {
      var q = document.getElementById("q");
      if (q) {
        e.preventDefault();
        q.focus();
        q.select();
      }
    }
  });
})();
