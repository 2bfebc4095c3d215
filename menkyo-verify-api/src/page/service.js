// The service's page: a submission file in, the report out (rendered by report.js).
"use strict";
(function () {
  const drop = document.getElementById("drop"), file = document.getElementById("file");
  const message = document.getElementById("message"), result = document.getElementById("result");
  drop.addEventListener("click", () => file.click());
  drop.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") file.click(); });
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files[0]) check(e.dataTransfer.files[0]); });
  file.addEventListener("change", () => { if (file.files[0]) check(file.files[0]); });
  async function check(f) {
    message.textContent = ""; message.removeAttribute("data-code"); result.replaceChildren();
    const headers = { "content-type": "application/json" };
    const key = document.getElementById("key").value.trim();
    if (key) headers.authorization = "Bearer " + key;
    let res, body;
    try {
      res = await fetch("/v1/verifications?portrait=jpeg", { method: "POST", headers, body: await f.text() });
      body = await res.json();
    } catch (e) { message.textContent = "送信できません could not send: " + e; message.dataset.code = "network"; return; }
    if (!res.ok) { message.textContent = `${body.title}: ${body.detail}`; message.dataset.code = (body.type || "").split("/").pop(); return; }
    window.menkyo.renderReport(result, body);
  }
})();
