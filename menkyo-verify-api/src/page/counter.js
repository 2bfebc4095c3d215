// menkyo counter: the card on the reader, the credentials it needs, the verdict. Polls the
// local server; PINs go in a POST body and are wiped from the form at once; nothing is kept in
// browser storage.
"use strict";
(function () {
  const token = document.querySelector('meta[name="menkyo-token"]').content;
  const $ = id => document.getElementById(id);
  const form = $("creds"), result = $("result");
  const KIND = {
    none: ["カードを置いてください", "place the card on the reader"],
    mynumber_card: ["マイナ免許証", "My Number card with licence"],
    ic_licence: ["ICカード免許証", "conventional IC licence"],
    mynumber_without_licence: ["免許の記録がないマイナンバーカード", "My Number card without licence"],
    not_a_licence_card: ["免許証ではありません", "not a licence card"],
  };
  const STEP = {
    licence: "免許情報 licence AP", licence_pin_ok: "暗証番号 OK PIN accepted", licence_read: "免許情報 OK",
    kenhojo: "券面事項 card surface", kenhojo_read: "券面事項 OK", kenkaku: "年齢記録 age record",
    kenkaku_read: "年齢記録 OK", kenkaku_missing: "年齢記録なし no age record", ic_card: "ICカード免許証 IC licence",
    ic_pin1_ok: "暗証番号1 OK", ic_pin2_ok: "暗証番号2 OK", ic_without_pin2: "暗証番号2なし without PIN2",
    ic_pin2_blocked: "暗証番号2 閉塞 PIN2 locked", ic_read: "読取 OK read", verify: "検証中 verifying…", done: "完了 done",
  };
  let generation = -1, shownReport = null, lastActivity = Date.now();

  async function api(method, path, body) {
    const headers = { "x-menkyo-token": token };
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  }

  function show(id, on) { $(id).hidden = !on; }

  function render(st) {
    document.body.dataset.reads = st.reads;
    const rs = $("reader-status");
    rs.textContent = st.reader ? "リーダー reader: " + st.reader : "カードリーダーがありません no card reader";
    rs.dataset.state = st.reader ? "ok" : "bad";
    const ck = $("card-kind");
    const [ja, en] = KIND[st.card] || [st.card, st.card];
    ck.textContent = `${ja} ${en}`;
    ck.dataset.kind = st.card === "mynumber_card" || st.card === "ic_licence" ? st.card : "";
    ck.dataset.state = ck.dataset.kind ? "ok" : (st.card === "none" ? "wait" : "bad");

    const needs = new Set(st.needs || []);
    const readable = ck.dataset.kind !== "" && !st.report;
    show("creds", readable);
    show("f-licence", needs.has("licence_pin"));
    show("f-kenhojo", needs.has("kenhojo_pin"));
    show("f-ic", needs.has("ic_pin1"));
    for (const input of form.querySelectorAll("fieldset input")) {
      input.disabled = input.closest("fieldset").hidden;
    }
    // Tries left before each VERIFY, as the card said; the last one needs the box ticked.
    const t = st.tries || {};
    const parts = [], last = [];
    const label = { licence_pin: "免許の暗証番号 licence PIN", kenhojo_pin: "券面事項PIN card-surface PIN",
      collation_b: "照合番号B collation B", birth_date: "生年月日 age record key", ic_pin1: "暗証番号1 PIN1", ic_pin2: "暗証番号2 PIN2" };
    for (const [k, v] of Object.entries(t)) {
      if (v === null || !label[k]) continue;
      parts.push(`${label[k]}: 残り${v}回 ${v} left`);
      if (v === 1) last.push(k);
    }
    $("tries-left").textContent = parts.length ? "残り回数 tries left — " + parts.join(" / ") : "";
    for (const span of document.querySelectorAll(".tries-for")) {
      const v = t[span.dataset.key];
      span.textContent = v === undefined || v === null ? "" : (v === 0 ? "ロック locked" : `残り${v}回 ${v} left`);
      span.dataset.level = v === 1 || v === 0 ? "last" : "";
    }
    $("tries-left").dataset.last = last.join(" ");
    show("last-try", last.length > 0);

    const msg = $("message");
    if (st.message) { msg.textContent = st.message.text; msg.dataset.code = st.message.code; }
    else { msg.textContent = ""; msg.removeAttribute("data-code"); }
    $("read").disabled = st.busy;
    $("progress").textContent = st.busy || (st.progress || []).length
      ? (st.progress || []).map(p => STEP[p] || p).join(" → ") + (st.busy ? " …" : "") : "";

    if (st.generation !== generation) {
      generation = st.generation;
      shownReport = null;
      result.replaceChildren();
      form.reset();
    }
    if (st.report && st.report !== shownReport) {
      shownReport = st.report;
      window.menkyo.renderReport(result, st.report);
    }
    if (!st.report && result.children.length) result.replaceChildren();
    show("actions", !!st.report);
    $("saved").textContent = st.saved ? "保存しました saved: " + st.saved : "";
  }

  let last = "";
  async function poll() {
    try {
      const res = await api("GET", "/api/status");
      if (res.ok) {
        const text = await res.text();
        if (text !== last) { last = text; render(JSON.parse(text)); }
      }
    } catch (e) { /* the server is gone: keep the screen as it is */ }
    if (shownReport && Date.now() - lastActivity > 180000) { await api("POST", "/api/clear"); lastActivity = Date.now(); }
    setTimeout(poll, 400);
  }

  form.addEventListener("submit", async e => {
    e.preventDefault();
    lastActivity = Date.now();
    // The screen the credentials were typed on: the server refuses them for another card.
    const body = { allow_last_try: form.elements.allow_last_try.checked, generation };
    for (const input of form.querySelectorAll("fieldset input")) {
      if (!input.disabled && input.value) body[input.name] = input.value;
    }
    // The PINs leave the page now: nothing of them stays in the form.
    form.reset();
    const msg = $("message"); msg.textContent = ""; msg.removeAttribute("data-code");
    const res = await api("POST", "/api/read", body);
    // 412: the card or the screen changed; the next status shows why (card_changed).
    if (!res.ok && res.status !== 202 && res.status !== 412) {
      const msg = $("message"); msg.textContent = await res.text(); msg.dataset.code = "bad_input";
    }
  });
  $("save").addEventListener("click", async () => {
    lastActivity = Date.now();
    const res = await api("POST", "/api/save");
    if (!res.ok) { const msg = $("message"); msg.textContent = await res.text(); msg.dataset.code = "save_failed"; }
  });
  $("clear").addEventListener("click", async () => { lastActivity = Date.now(); await api("POST", "/api/clear"); });
  for (const ev of ["keydown", "pointerdown"]) document.addEventListener(ev, () => { lastActivity = Date.now(); });
  poll();
})();
