// gibon: actions at each stop (arrive, complete, miss with reason, note), sent with an
// idempotency key; kept in this browser while offline and sent when the connection returns.
(function () {
  "use strict";
  const QUEUE = "gibon-visit-actions";
  const LABEL = { arrived: "도착", completed: "완료", missed: "미방문", note: "메모" };
  const $ = (id) => document.getElementById(id);

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    localStorage.setItem(QUEUE, JSON.stringify(items));
    const n = $("queued");
    if (n) n.textContent = String(items.length);
  }
  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function hhmm(iso) {
    const d = new Date(iso);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  function show(id, text) {
    const el = $(id);
    if (!el) return;
    if (text !== undefined) el.textContent = text;
    el.hidden = false;
  }
  function hide(id) { const el = $(id); if (el) el.hidden = true; }
  function mark(action, suffix) {
    const stop = document.getElementById("stop-" + action.visit);
    if (!stop || action.kind === "note") return;
    stop.classList.remove("arrived", "completed", "missed");
    stop.classList.add(action.kind);
    const line = stop.querySelector("[data-state]");
    if (line) {
      line.textContent = LABEL[action.kind] + " " + hhmm(action.happened_at) +
        (action.reason ? " · 사유: " + action.reason : "") + suffix;
    }
  }

  let sending = false;
  async function flush() {
    if (sending) return;
    sending = true;
    let items = load();
    try {
      while (items.length) {
        const action = items[0];
        let response;
        try {
          response = await fetch("/api/visits/events", {
            method: "POST",
            // the session's CSRF token, from the page's own forms (web/csrf.py)
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
            credentials: "same-origin",
            body: JSON.stringify(action),
          });
        } catch (e) {
          show("net-offline");
          return; // still offline: keep the queue
        }
        hide("net-offline");
        const body = await response.json().catch(() => ({}));
        if (response.status === 409) {
          show("net-conflict", body.message || body.detail || "다시 계획된 방문입니다. 기록은 보관했습니다.");
          mark(action, " (다시 계획됨)");
        } else if (response.ok) {
          show("net-sent", LABEL[action.kind] + " 기록을 보냈습니다 (" + action.visit + ").");
          mark(action, "");
        } else if (response.status === 401 || response.status >= 500) {
          show("net-offline", "보내지 못했습니다 (다시 로그인하거나 잠시 후 자동으로 다시 보냅니다).");
          return;
        } else {
          show("net-conflict", body.message || "보내지 못한 기록이 있습니다.");
        }
        items = load().filter((a) => a.key !== action.key);
        save(items);
      }
    } finally {
      sending = false;
    }
  }

  function onSubmit(event) {
    const form = event.target;
    if (!form.matches("[data-event-form]")) return;
    event.preventDefault();
    const kind = event.submitter ? event.submitter.value : "note";
    const data = new FormData(form);
    const reason = String(data.get("reason") || "");
    if (kind === "missed" && !reason) {
      show("net-conflict", "미방문에는 사유를 고르세요.");
      form.querySelector("select[name=reason]").focus();
      return;
    }
    const action = {
      // a fresh key for every action made here: a page reloaded from the offline cache carries
      // the keys it was cached with, and a key used twice would make the second action a duplicate
      key: newKey(),
      plan_id: Number(data.get("plan_id")),
      visit: String(data.get("visit")),
      kind: kind,
      reason: kind === "missed" ? reason : "",
      note: String(data.get("note") || ""),
      happened_at: new Date().toISOString(),
    };
    save(load().concat([action]));
    form.querySelector("textarea[name=note]").value = "";
    hide("net-conflict");
    mark(action, navigator.onLine ? "" : " (전송 대기)");
    flush();
  }

  document.addEventListener("submit", onSubmit);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => show("net-offline"));
  if (!navigator.onLine) show("net-offline");
  save(load());
  flush();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/visits/sw.js", { scope: "/visits/" }).catch(() => undefined);
  }
})();

function csrfToken() {
  const field = document.querySelector('input[name="csrf_token"]');
  return field ? field.value : "";
}
