/* chat-console.js - the agent's chat console: the queue and the agent's
 * chats through one long poll (GET /api/v1/chat-console?known=TAG&wait=25,
 * answered when anything in the organisation's chats changes), messages,
 * the knowledge base with a one-click article link, transfer and close. */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.fetch) return;
  var csrf = root.getAttribute("data-csrf");
  var statusEl = document.getElementById("console-status");
  var queueEl = document.getElementById("queue");
  var mineEl = document.getElementById("mine");
  var errEl = document.getElementById("console-error");
  var kbForm = document.getElementById("kb-form");
  var kbQ = document.getElementById("kb-q");
  var kbResults = document.getElementById("kb-results");
  var known = "";
  var panels = {};
  var current = null;

  function api(method, url, body) {
    var h = { "Accept": "application/json", "X-CSRF-Token": csrf };
    if (body) h["Content-Type"] = "application/json";
    return fetch(url, { method: method, headers: h, credentials: "same-origin",
                        body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) {
            var e = new Error(j.detail || j.title || "Der opstod en fejl.");
            e.status = r.status;
            throw e;
          }
          return j;
        });
      });
  }

  function fail(e) { errEl.textContent = e.message; }

  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text) x.textContent = text;
    if (cls) x.className = cls;
    return x;
  }

  function choose(id) {
    current = id;
    Object.keys(panels).forEach(function (k) {
      panels[k].box.classList.toggle("current", String(k) === String(id));
    });
  }

  function addMessage(p, m) {
    var li = el("li", null, "msg msg-" + m.sender);
    li.appendChild(el("strong", (m.sender === "agent" ? "Dig" :
                                 m.sender === "citizen" ? "Borger" : "Besked") + ": "));
    if (m.article) {
      var a = el("a", m.article.title);
      a.href = m.article.url;
      li.appendChild(document.createTextNode("Artikel: "));
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(m.body));
    }
    p.log.appendChild(li);
    p.after = m.seq;
  }

  function fetchMessages(p) {
    if (p.busy) return;
    p.busy = true;
    api("GET", "/api/v1/chats/" + p.id + "/messages?after=" + p.after)
      .then(function (j) { j.messages.forEach(function (m) { addMessage(p, m); }); })
      .catch(fail)
      .then(function () { p.busy = false; if (p.want > p.after) fetchMessages(p); });
  }

  function panel(chat) {
    var box = el("section", null, "chat-panel");
    box.setAttribute("aria-label", "Chat " + chat.id);
    box.appendChild(el("h3", "Chat " + chat.id + (chat.topic ? ": " + chat.topic : "")));
    var log = el("ol", null, "chat-log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Beskeder i chat " + chat.id);
    box.appendChild(log);
    var p = { id: chat.id, box: box, log: log, after: 0, want: 0, busy: false };
    var f = el("form");
    var lab = el("label", "Besked");
    var inp = el("textarea");
    inp.id = "msg-" + chat.id;
    inp.rows = 2;
    inp.maxLength = 2000;
    lab.htmlFor = inp.id;
    f.appendChild(lab);
    f.appendChild(inp);
    f.appendChild(el("button", "Send"));
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      errEl.textContent = "";
      api("POST", "/api/v1/chats/" + chat.id + "/messages", { body: inp.value })
        .then(function () { inp.value = ""; })
        .catch(fail);
    });
    box.appendChild(f);
    var tf = el("form", null, "inline");
    var tl = el("label", "Giv videre til team");
    var ti = el("input");
    ti.id = "team-" + chat.id;
    tl.htmlFor = ti.id;
    tf.appendChild(tl);
    tf.appendChild(ti);
    tf.appendChild(el("button", "Giv videre"));
    tf.addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("POST", "/api/v1/chats/" + chat.id + "/transfer", { team: ti.value }).catch(fail);
    });
    box.appendChild(tf);
    var cf = el("form", null, "inline");
    var cl = el("label", "Udfald");
    var cs = el("select");
    cs.id = "outcome-" + chat.id;
    cl.htmlFor = cs.id;
    [["resolved_first_contact", "Løst ved første kontakt"],
     ["transferred", "Sendt videre til et team"],
     ["callback_promised", "Borgeren ringes op"]].forEach(function (oc) {
      var o = el("option", oc[1]);
      o.value = oc[0];
      cs.appendChild(o);
    });
    cf.appendChild(cl);
    cf.appendChild(cs);
    // what a transfer or a callback needs, shown for that outcome only
    function field(label, input, id) {
      var w = el("span", null, "close-detail");
      var l = el("label", label);
      input.id = id + "-" + chat.id;
      l.htmlFor = input.id;
      w.appendChild(l);
      w.appendChild(input);
      w.hidden = true;
      cf.appendChild(w);
      return w;
    }
    var team = el("select"), reason = el("select"), due = el("input");
    due.type = "datetime-local";
    var teamW = field("Team", team, "close-team");
    var reasonW = field("Årsag", reason, "close-reason");
    var dueW = field("Ring op", due, "close-due");
    api("GET", "/api/v1/desk/codes").then(function (j) {
      (j.items || []).forEach(function (c) {
        var o = el("option", c.label);
        o.value = c.code;
        (c.kind === "team" ? team : reason).appendChild(o);
      });
    }).catch(function () {});
    cs.addEventListener("change", function () {
      teamW.hidden = reasonW.hidden = cs.value !== "transferred";
      dueW.hidden = cs.value !== "callback_promised";
    });
    cf.appendChild(el("button", "Afslut chat"));
    cf.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { outcome: cs.value };
      if (cs.value === "transferred") {
        body.transfer_team = team.value;
        body.transfer_reason = reason.value;
      } else if (cs.value === "callback_promised") {
        body.callback_due_at = due.value; // Danish local time
      }
      api("POST", "/api/v1/chats/" + chat.id + "/close", body).catch(fail);
    });
    box.appendChild(cf);
    box.addEventListener("focusin", function () { choose(chat.id); });
    box.addEventListener("click", function () { choose(chat.id); });
    mineEl.appendChild(box);
    panels[chat.id] = p;
    if (current === null) choose(chat.id);
    return p;
  }

  function render(j) {
    var s = j.status || {};
    statusEl.textContent = (j.queue.length ? j.queue.length + " venter i køen. " : "Ingen i køen. ") +
      "Du har " + j.mine.length + " chat" + (j.mine.length === 1 ? "" : "s") + ".";
    queueEl.textContent = "";
    j.queue.forEach(function (c) {
      var li = el("li", "Chat " + c.id + (c.topic ? ": " + c.topic : "") +
                  (c.team ? " (team " + c.team + ")" : "") + " ");
      var b = el("button", "Tag chat " + c.id);
      b.type = "button";
      b.addEventListener("click", function () {
        errEl.textContent = "";
        api("POST", "/api/v1/chats/" + c.id + "/take").catch(fail);
      });
      li.appendChild(b);
      queueEl.appendChild(li);
    });
    var seen = {};
    j.mine.forEach(function (c) {
      seen[c.id] = true;
      var p = panels[c.id] || panel(c);
      p.want = c.last_seq;
      if (c.last_seq > p.after) fetchMessages(p);
    });
    Object.keys(panels).forEach(function (k) {
      if (!seen[k]) {
        panels[k].box.remove();
        delete panels[k];
        if (String(current) === String(k)) current = null;
      }
    });
    if (current === null && j.mine.length) choose(j.mine[0].id);
    void s;
  }

  function loop() {
    api("GET", "/api/v1/chat-console?wait=25&known=" + known)
      .then(function (j) { known = j.known; render(j); loop(); })
      .catch(function (e) { fail(e); setTimeout(loop, 3000); });
  }

  kbForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    api("GET", "/api/v1/search?kind=article&limit=5&q=" + encodeURIComponent(kbQ.value))
      .then(function (j) {
        kbResults.textContent = "";
        j.results.forEach(function (h) {
          var li = el("li");
          var a = el("a", h.title);
          a.href = "/artikel/" + h.slug;
          a.target = "_blank";
          li.appendChild(a);
          li.appendChild(document.createTextNode(" "));
          var b = el("button", "Send link");
          b.type = "button";
          b.setAttribute("aria-label", "Send link til " + h.title);
          b.addEventListener("click", function () {
            if (current === null) { errEl.textContent = "Vælg en chat først."; return; }
            errEl.textContent = "";
            api("POST", "/api/v1/chats/" + current + "/messages", { article_id: h.id }).catch(fail);
          });
          li.appendChild(b);
          kbResults.appendChild(li);
        });
        if (!j.results.length) kbResults.appendChild(el("li", "Ingen artikler fundet."));
      })
      .catch(fail);
  });

  loop();
})();
