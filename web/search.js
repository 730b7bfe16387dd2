/* search.js - search-as-you-type for the search box (ARIA 1.2 combobox with
 * a list box). The form works without it; this only adds suggestions. */
(function () {
  "use strict";

  function setup(input) {
    var form = input.form;
    var combo = input.parentNode;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var listId = input.id + "-forslag";
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Forslag");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    combo.appendChild(list);
    combo.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      var it = items[i];
      if (!it) return;
      if (it.url) {
        window.location.href = it.url;
      } else {
        input.value = it.text;
        close();
        form.submit();
      }
    }

    function highlight(i) {
      var opts = list.querySelectorAll("[role=option]");
      for (var k = 0; k < opts.length; k++) {
        opts[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      items = [];
      list.textContent = "";
      (data.completions || []).slice(0, 4).forEach(function (c) {
        items.push({ text: c });
      });
      (data.titles || []).slice(0, 6).forEach(function (t) {
        items.push({ text: t.title, url: t.url });
      });
      items.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = it.url ? "title" : "completion";
        li.textContent = it.text;
        li.addEventListener("mousedown", function (e) {
          e.preventDefault(); /* keep focus in the input */
          choose(i);
        });
        list.appendChild(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + " forslag. Brug pil op og ned.";
      } else {
        close();
        status.textContent = "";
      }
      /* the old options are gone: none is active until an arrow key */
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function fetchSuggestions() {
      var q = input.value;
      if (q.trim().length < 2) {
        close();
        return;
      }
      var mine = ++seq;
      fetch("/api/v1/suggest?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && mine === seq && document.activeElement === input) render(data);
        })
        .catch(function () { /* suggestions are optional */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        if (list.hidden) { fetchSuggestions(); return; }
        e.preventDefault();
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (e.key === "ArrowUp") {
        if (list.hidden) return;
        e.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          choose(active);
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("form.search input[type=search]");
    for (var i = 0; i < inputs.length; i++) setup(inputs[i]);
  });
})();
