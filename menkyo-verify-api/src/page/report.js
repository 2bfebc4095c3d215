// menkyo: the one rendering of a verification report (menkyo-report/1), shared by the
// service's page and `menkyo counter`. Builds DOM nodes with textContent only: card data is
// never parsed as HTML. Words for checks and limits come from menkyo-core (words.js).
"use strict";
(function () {
  const W = window.MENKYO_WORDS;
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== undefined && c !== null) e.append(c);
    return e;
  };
  const bi = (ja, en) => [ja, " ", el("span", { class: "en" }, en)];
  const row = (ja, en, value, attrs) => el("tr", null, el("th", null, ...bi(ja, en)), el("td", attrs || null, value ?? "—"));

  function verdict(r) {
    const [ja, en] = W.verdicts[r.verdict] || [r.verdict, r.verdict];
    return el("div", { id: "verdict", class: "verdict", "data-verdict": r.verdict, role: "status" }, ja, el("span", { class: "en" }, en));
  }

  function limits(r) {
    const list = el("ul", { id: "limits", class: "limits", "aria-label": "この判定で証明されないこと what this verdict does not prove" });
    for (const code of r.limits || []) {
      if (code === "not_a_driving_licence") continue; // shown as the alert above
      const w = W.limits[code] || { ja: code, en: code };
      list.append(el("li", { "data-code": code }, w.ja, el("span", { class: "en" }, w.en)));
    }
    // The element is always there (a hook for automation), empty when nothing is limited.
    return [el("h2", { hidden: list.children.length ? null : "" }, ...bi("この判定で証明されないこと", "what this verdict does not prove")), list];
  }

  function failed(r) {
    const bad = (r.checks || []).filter(c => c.status !== "valid");
    if (!bad.length) return null;
    const list = el("ul", { class: "failed" });
    for (const c of bad) {
      const w = W.checks[c.name] || { failed_ja: c.name, failed_en: c.name };
      list.append(el("li", { "data-check": c.name, "data-status": c.status },
        c.status === "invalid" ? w.failed_ja : w.ja + "：未確認", " — ", el("span", { class: "en" }, c.status === "invalid" ? w.failed_en : w.en + ": not checked"),
        el("span", { class: "detail" }, c.detail)));
    }
    return [el("h2", null, ...bi("確認できなかった項目", "checks not passed")), list];
  }

  function licence(r) {
    const l = r.licence;
    if (!l) return null;
    const t = el("table", { class: "facts" });
    t.append(row("免許の番号", "licence number", l.number, { id: "licence-number", class: "big" }));
    const expiry = el("span", null, l.expiry ?? "—");
    if (l.expired) expiry.append(" ", el("strong", { class: "mark-invalid" }, "期限切れ expired"));
    t.append(row("有効期限", "valid through", expiry, { id: "licence-expiry" }));
    if (l.colour_class) t.append(row("色区分", "colour class", l.colour_class));
    if (l.issued) t.append(row("交付", "issued", l.issued));
    const cats = el("span");
    for (const c of l.categories || []) {
      cats.append(el("span", { class: c.held ? "held" : "notheld", title: c.since || "" }, c.name));
    }
    t.append(row("免許の種類", "categories", cats));
    t.append(row("免許の条件", "conditions", (l.conditions || []).length ? l.conditions.join(" / ") : "—"));
    if (l.authority) t.append(row("公安委員会", "issued by", l.authority));
    if (l.driving_history_number) t.append(row("運転経歴の番号", "driving-history number", l.driving_history_number));
    const parts = [el("h2", null, ...bi("免許情報", "licence"))];
    const photo = l.photo && l.photo.jpeg
      ? el("img", { id: "portrait", class: "portrait", alt: "顔写真 portrait", src: "data:image/jpeg;base64," + l.photo.jpeg })
      : el("div", { id: "portrait", class: "portrait", role: "img", "aria-label": "顔写真なし no portrait shown" });
    parts.push(el("div", { class: "card" }, t, photo));
    if ((l.changes || []).length) {
      const c = el("table", { class: "facts", id: "changes" });
      for (const ch of l.changes) {
        c.append(el("tr", null, el("th", null, ch.kind), el("td", null, ch.value, " ",
          el("span", { class: "unsigned" }, `（${ch.date ?? "?"} ${ch.authority} — 署名なし not signed）`))));
      }
      parts.push(el("h2", null, ...bi("裏面の記載事項変更（署名の対象外）", "changes on the back (not signed)")), c);
    }
    return parts;
  }

  function holder(r) {
    const h = r.holder;
    const k = r.kenkaku;
    if (!h && !k) return null;
    const t = el("table", { class: "facts" });
    if (h) {
      t.append(row("氏名", "name", h.name, { id: "holder-name", class: "big" }));
      if (h.kana) t.append(row("呼び名", "kana", h.kana));
      t.append(row("住所", "address", h.address, { id: "holder-address" }));
      t.append(row("生年月日", "birth date", `${h.birth_date}${h.age != null ? `（${h.age}歳 age ${h.age}）` : ""}`));
    }
    if (k) t.append(row("生年月日（年齢記録）", "birth date (age record)", `${k.birth_date}${k.age != null ? `（${k.age}歳 age ${k.age}）` : ""}`));
    return [el("h2", null, ...bi("券面事項", "holder")), t];
  }

  function checks(r) {
    const t = el("table", { class: "checks" });
    for (const c of r.checks || []) {
      const w = W.checks[c.name] || { ja: c.name, en: c.name };
      t.append(el("tr", { "data-check-row": c.name }, el("td", { class: "mark-" + c.status }, { valid: "OK", invalid: "NG", unchecked: "—" }[c.status] || c.status),
        el("td", null, w.ja, " ", el("span", { class: "en" }, w.en)), el("td", null, c.detail)));
    }
    return el("details", null, el("summary", null, "確認項目の詳細 all checks"), t);
  }

  /** Renders `report` into `target` (emptied first). */
  function renderReport(target, report) {
    target.replaceChildren();
    target.append(verdict(report));
    if ((report.limits || []).includes("not_a_driving_licence")) {
      target.append(el("div", { id: "warning", class: "alert", role: "alert", "data-code": "not_a_driving_licence" },
        W.driving_history_warning, el("span", { class: "en" }, "  driving-history record — not a driving licence")));
    }
    for (const part of [limits(report), failed(report), licence(report), holder(report), checks(report)]) {
      if (part) target.append(...[].concat(part));
    }
  }

  window.menkyo = Object.assign(window.menkyo || {}, { renderReport, el });
})();
