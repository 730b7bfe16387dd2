/* chat.js - turns the chat page into a live chat when chat is open.
 * Without it the page is a written-inquiry form, which stays the answer
 * when chat is closed. Messages arrive through a long poll
 * (GET /api/v1/chats/ID/messages?after=N&wait=25), which resumes after
 * the last message seen; the chat and its token are kept for the tab
 * (sessionStorage), so a reload resumes the same chat. */
(function () {
  "use strict";
  var sec = document.getElementById("chat");
  if (!sec || !window.fetch || !window.sessionStorage) return;
  var org = sec.getAttribute("data-organisation");
  var csrf = sec.getAttribute("data-csrf") || "";
  var log = document.getElementById("chat-log");
  var place = document.getElementById("chat-place");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var errBox = document.getElementById("chat-error");
  var leave = document.getElementById("chat-leave");
  var rate = document.getElementById("chat-rate");
  var written = document.getElementById("skriv");
  var key = "hh_chat_" + org;
  var state = null;
  var after = 0;
  var stopped = false;

  try { state = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { state = null; }

  function api(method, url, body) {
    var h = { "Accept": "application/json" };
    if (body) h["Content-Type"] = "application/json";
    if (csrf) h["X-CSRF-Token"] = csrf;
    if (state) h["X-Chat-Token"] = state.token;
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

  function minutes(s) {
    var m = Math.max(1, Math.round(s / 60));
    return m === 1 ? "omkring 1 minut" : "omkring " + m + " minutter";
  }

  function add(m) {
    var li = document.createElement("li");
    li.className = "msg msg-" + m.sender;
    var who = document.createElement("strong");
    who.textContent = (m.sender === "agent" ? "Medarbejder" :
                       m.sender === "citizen" ? "Dig" : "Besked") + ": ";
    li.appendChild(who);
    if (m.article) {
      li.appendChild(document.createTextNode("Læs artiklen "));
      var a = document.createElement("a");
      a.href = m.article.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = m.article.title;
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(m.body));
    }
    log.appendChild(li);
  }

  function show(chat) {
    if (chat.state === "queued") {
      place.textContent = "Du er nummer " + chat.position + " i køen. Forventet ventetid: " +
        minutes(chat.expected_wait_seconds) + ".";
    } else if (chat.state === "active") {
      place.textContent = "Du chatter med " + (chat.agent_name || "en medarbejder") + ".";
    } else {
      place.textContent = "Chatten er afsluttet.";
      form.hidden = true;
      if (!chat.rating) rate.hidden = false;
      written.hidden = false;
    }
  }

  function poll() {
    if (stopped || !state) return;
    api("GET", "/api/v1/chats/" + state.id + "/messages?after=" + after + "&wait=25")
      .then(function (j) {
        j.messages.forEach(function (m) { add(m); after = m.seq; });
        show(j.chat);
        if (j.chat.state === "closed") { stopped = true; return; }
        poll();
      })
      .catch(function (e) {
        if (e.status === 404) { sessionStorage.removeItem(key); state = null; return; }
        setTimeout(poll, 2000); /* the server restarted, or the line dropped */
      });
  }

  function begin() {
    written.hidden = true;
    sec.hidden = false;
    input.focus();
    poll();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    errBox.textContent = "";
    var text = input.value;
    if (!text.trim()) { errBox.textContent = "Skriv en besked først."; return; }
    api("POST", "/api/v1/chats/" + state.id + "/messages", { body: text })
      .then(function () { input.value = ""; input.focus(); })
      .catch(function (e) { errBox.textContent = e.message; });
  });

  leave.addEventListener("click", function () {
    api("POST", "/api/v1/chats/" + state.id + "/close").catch(function (e) {
      errBox.textContent = e.message;
    });
  });

  rate.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var chosen = rate.querySelector("input[name=rating]:checked");
    if (!chosen) { errBox.textContent = "Vælg en bedømmelse fra 1 til 5."; return; }
    var comment = document.getElementById("chat-comment").value;
    api("POST", "/api/v1/chats/" + state.id + "/rating",
        { rating: parseInt(chosen.value, 10), comment: comment })
      .then(function () {
        rate.hidden = true;
        place.textContent = "Tak for din bedømmelse.";
        sessionStorage.removeItem(key);
      })
      .catch(function (e) { errBox.textContent = e.message; });
  });

  if (state) {
    begin();
    return;
  }
  if (sec.getAttribute("data-open") !== "1") return; /* the written form */
  var startBox = document.createElement("p");
  var start = document.createElement("button");
  start.type = "button";
  start.id = "chat-start";
  start.textContent = "Start chat";
  startBox.appendChild(start);
  written.parentNode.insertBefore(startBox, written);
  start.addEventListener("click", function () {
    start.disabled = true;
    api("POST", "/api/v1/chats", { organisation: org })
      .then(function (j) {
        state = { id: j.id, token: j.token };
        sessionStorage.setItem(key, JSON.stringify(state));
        startBox.hidden = true;
        show(j);
        begin();
      })
      .catch(function (e) {
        start.disabled = false;
        errBox.textContent = e.message;
        sec.hidden = false;
      });
  });
})();
