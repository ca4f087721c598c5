// The agentwatch alert page: reads /api/stream (server-sent events over fetch, so that a bearer token can be sent),
// falls back to polling /api/alerts, filters by agent and alert name without reloading, and keeps the filter in the URL.
(function () {
  "use strict";
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const params = new URLSearchParams(location.search);
  const filter = { agent: params.get("agent") || "", alertname: params.get("alertname") || "", fingerprint: params.get("fingerprint") || "" };
  const $ = (id) => document.getElementById(id);
  const severities = ["critical", "error", "warning", "info"];
  let data = { firing: [], resolved: [] };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + "s ago";
    if (s < 3600) return Math.floor(s / 60) + "m ago";
    if (s < 86400) return Math.floor(s / 3600) + "h " + Math.floor((s % 3600) / 60) + "m ago";
    return Math.floor(s / 86400) + "d ago";
  }

  function matches(a) {
    const agent = filter.agent.trim();
    const affected = (a.affectedAgents || "").split(",").map((x) => x.trim());
    return (!agent || a.agent === agent || a.rootCause === agent || affected.includes(agent))
      && (!filter.alertname || a.alertname === filter.alertname)
      && (!filter.fingerprint || a.fingerprint === filter.fingerprint);
  }

  function card(a, resolved) {
    const c = el("div", "alert " + a.severity + (a.inhibited ? " inhibited" : ""));
    c.dataset.fingerprint = a.fingerprint;
    c.dataset.agent = a.agent || "";
    c.dataset.status = a.status;
    c.append(el("span", "badge " + (resolved ? "resolved" : a.severity), resolved ? "resolved" : a.severity));
    const head = el("span");
    head.append(el("span", "name", a.alertname), document.createTextNode(" "), el("span", "agent", a.agent || a.tenant || "fleet"));
    c.append(head);
    c.append(el("span", "value", a.value || ""));
    const since = el("span", "since", resolved && a.endsAt ? "resolved " + ago(a.endsAt) : "since " + ago(a.startsAt));
    since.title = resolved && a.endsAt ? a.startsAt + " – " + a.endsAt : a.startsAt;
    c.append(since);
    c.append(el("span", "summary", a.summary));
    if (a.rootCause) {
      const cause = el("span", "cause");
      cause.append(document.createTextNode("root cause: "), el("strong", null, a.rootCause));
      if (a.affectedAgents) cause.append(document.createTextNode(" · affected: " + a.affectedAgents));
      c.append(cause);
    } else if (a.causedBy) {
      const cause = el("span", "cause");
      cause.append(document.createTextNode("caused by cascade " + (a.causedByRootAgent ? "from " : "")));
      if (a.causedByRootAgent) cause.append(el("strong", null, a.causedByRootAgent));
      cause.append(document.createTextNode(a.inhibited ? " · notifications suppressed while the cascade fires" : ""));
      c.append(cause);
    }
    if (a.action) c.append(el("span", "cause", "suggested action: " + a.action));
    return c;
  }

  function render() {
    const firing = data.firing.filter(matches);
    const resolved = data.resolved.filter(matches);
    const f = $("firing");
    f.replaceChildren();
    for (const a of firing) f.append(card(a, false));
    if (!firing.length) f.append(el("div", "empty", "Nothing firing" + (filter.agent || filter.alertname ? " for this filter." : ".")));
    const r = $("resolved");
    r.replaceChildren();
    for (const a of resolved.slice(0, 50)) r.append(card(a, true));
    if (!resolved.length) r.append(el("div", "empty", "No resolved alerts yet."));
    $("firing-count").textContent = "(" + firing.length + ")";
    $("resolved-count").textContent = "(" + resolved.length + ")";
    const counts = $("counts");
    counts.replaceChildren();
    for (const s of severities) {
      const n = data.firing.filter((a) => a.severity === s).length;
      if (n) counts.append(el("span", "badge " + s, n + " " + s));
    }
    const names = [...new Set(data.firing.concat(data.resolved).map((a) => a.alertname))].sort();
    const sel = $("f-alertname");
    const current = filter.alertname;
    sel.replaceChildren(el("option", null, "any alert"));
    sel.firstChild.value = "";
    for (const n of names.concat(current && !names.includes(current) ? [current] : [])) {
      const o = el("option", null, n);
      o.value = n;
      sel.append(o);
    }
    sel.value = current;
    const agents = [...new Set(data.firing.concat(data.resolved).map((a) => a.agent).filter(Boolean))].sort();
    $("agents").replaceChildren(...agents.map((a) => { const o = el("option"); o.value = a; return o; }));
    const fp = $("f-fingerprint");
    fp.hidden = !filter.fingerprint;
    fp.textContent = filter.fingerprint ? "fingerprint " + filter.fingerprint : "";
  }

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of ["agent", "alertname", "fingerprint"]) if (filter[k]) p.set(k, filter[k]);
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : "") + location.hash);
  }

  function live(on, text) {
    const l = $("live");
    l.className = "live " + (on ? "on" : "off");
    l.textContent = text;
  }

  async function stream() {
    const res = await fetch("/api/stream", { headers, cache: "no-store" });
    if (!res.ok || !res.body) throw new Error("stream answered " + res.status);
    live(true, "live");
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const lines = event.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
        if (lines.length) {
          data = JSON.parse(lines.join("\n"));
          render();
        }
      }
    }
  }

  async function poll() {
    const res = await fetch("/api/alerts", { headers, cache: "no-store" });
    if (!res.ok) throw new Error("alerts answered " + res.status);
    data = await res.json();
    render();
  }

  async function run() {
    let failures = 0;
    for (;;) {
      try {
        await stream();
        failures = 0;
      } catch (e) {
        failures++;
        live(false, "polling");
        try { await poll(); } catch (e2) { live(false, "offline: " + e2.message); }
      }
      await new Promise((r) => setTimeout(r, failures ? Math.min(5000, 1000 * failures) : 200));
    }
  }

  $("f-agent").value = filter.agent;
  $("f-agent").addEventListener("input", (e) => { filter.agent = e.target.value; syncUrl(); render(); });
  $("f-alertname").addEventListener("change", (e) => { filter.alertname = e.target.value; syncUrl(); render(); });
  $("f-clear").addEventListener("click", () => {
    filter.agent = ""; filter.alertname = ""; filter.fingerprint = "";
    $("f-agent").value = ""; syncUrl(); render();
  });
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  setInterval(render, 15000);
  render();
  run();
})();
