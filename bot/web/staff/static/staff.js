// The easy-read check as you type, on the broadcast form. Without this script the "Check and preview"
// button does the same on the server; this only saves the round trip. It reads nothing but the form.
(function () {
  "use strict";
  var form = document.getElementById("compose");
  if (!form || !window.fetch || !window.FormData) { return; }
  var timers = {};

  function audience() {
    var checked = form.querySelector("input[name=audience]:checked");
    return checked ? checked.value : "updates";
  }

  function item(text, className) {
    var li = document.createElement("li");
    li.className = className;
    li.textContent = text;
    return li;
  }

  function show(box, data) {
    box.textContent = "";
    if (!data || !data.sms) { return; }
    var sms = data.sms;
    var cost = document.createElement("p");
    cost.className = "cost";
    var words = "SMS: " + sms.segments + (sms.segments === 1 ? " part" : " parts") + " (" + sms.encoding + ", " +
      sms.characters + " characters)";
    if (sms.ucs2.length) { words += "; these characters make it cost more: " + sms.ucs2.join(" "); }
    words += ".";
    if (sms.people === 1) { words += " About £" + sms.cost + "."; }
    else if (sms.people) { words += " About £" + sms.cost + " for " + sms.people.toLocaleString("en-GB") + " people by SMS."; }
    cost.textContent = words;
    box.appendChild(cost);
    if (!data.findings.length) {
      var ok = document.createElement("p");
      ok.className = "finding-ok";
      ok.textContent = "The easy-read check found nothing to fix.";
      box.appendChild(ok);
      return;
    }
    var list = document.createElement("ul");
    list.className = "findings";
    data.findings.forEach(function (f) {
      var label = f.severity === "error" ? "Fix: " : "Think about: ";
      list.appendChild(item(label + f.message + ". " + f.suggestion, "finding-" + f.severity));
    });
    box.appendChild(list);
  }

  function check(area) {
    var box = document.getElementById(area.id + "-live");
    var body = new URLSearchParams();
    body.append("csrf", form.querySelector("input[name=csrf]").value);
    body.append("text", area.value);
    body.append("language", area.getAttribute("data-language"));
    body.append("audience", audience());
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
      body: body.toString()
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { show(box, data); }
    }).catch(function () { /* the server-side check still works */ });
  }

  form.querySelectorAll("textarea[data-language]").forEach(function (area) {
    area.addEventListener("input", function () {
      clearTimeout(timers[area.id]);
      // Wait for a pause in typing, so a screen reader is not interrupted on every key.
      timers[area.id] = setTimeout(function () { check(area); }, 700);
    });
  });
  form.querySelectorAll("input[name=audience]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      form.querySelectorAll("textarea[data-language]").forEach(function (area) {
        if (area.value.trim()) { check(area); }
      });
    });
  });
}());
