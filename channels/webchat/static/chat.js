/* Said & Done web chat, progressive enhancement.
 *
 * Without this file every form posts and the page reloads at #latest. With it, forms marked data-chat
 * post with fetch, the server answers {"html": new turns, ...}, and the new turns are appended in place.
 * A polite live region reads new bot messages; focus goes to the new buttons, or stays in the text box
 * when the person typed. Any failure falls back to an ordinary form post, which always works.
 */
(function () {
  "use strict";

  var log = document.getElementById("turns");
  var announcer = document.getElementById("announce");
  var compose = document.getElementById("compose");
  var textBox = document.getElementById("text");
  var label = document.getElementById("text-label");
  if (!log || !announcer || !compose || !textBox || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var pending = false;
  var lastPressed = null; // for browsers without SubmitEvent.submitter

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[type=submit]") : null;
    lastPressed = button;
  });

  function setHidden(name, value) {
    var inputs = document.querySelectorAll('input[type="hidden"][name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].value = value;
    }
  }

  function plainPost(form, submitter) {
    // The no-JavaScript path: include the pressed button's value, then post the form for real.
    if (submitter && submitter.name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = submitter.name;
      field.value = submitter.value;
      form.appendChild(field);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function announce(nodes) {
    var parts = [];
    nodes.forEach(function (node) {
      if (!node.classList.contains("turn-bot")) {
        return;
      }
      var bits = node.querySelectorAll(".progress, .words .text, .hint");
      for (var i = 0; i < bits.length; i++) {
        parts.push(bits[i].textContent.trim());
      }
    });
    // Clear first, then fill on the next tick, so the same words said twice are read twice.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = parts.join(" ");
    }, 100);
  }

  function apply(data, form) {
    var template = document.createElement("template");
    template.innerHTML = data.html;
    var nodes = Array.prototype.slice.call(template.content.children);

    var moved = nodes.some(function (n) {
      return n.classList.contains("turn-person") || n.querySelector("form.choices");
    });
    if (data.replace) {
      log.textContent = "";
    } else if (moved) {
      // Only the newest question keeps its buttons; once answered, older ones are history.
      var old = log.querySelectorAll("form.choices");
      for (var i = 0; i < old.length; i++) {
        old[i].parentNode.removeChild(old[i]);
      }
    }
    if (nodes.some(function (n) { return n.id === "latest"; })) {
      var previous = document.getElementById("latest");
      if (previous) {
        previous.removeAttribute("id");
        previous.removeAttribute("tabindex");
      }
    }
    nodes.forEach(function (node) {
      log.appendChild(node);
    });

    setHidden("turn", String(data.turn));
    if (data.csrf) {
      setHidden("csrf", data.csrf);
    }
    if (data.lang) {
      document.documentElement.lang = data.lang;
    }
    if (data.words) {
      var marked = document.querySelectorAll("[data-word]");
      for (var w = 0; w < marked.length; w++) {
        var entry = data.words[marked[w].getAttribute("data-word")];
        if (entry) {
          marked[w].textContent = entry[0];
          marked[w].setAttribute("lang", entry[1]);
        }
      }
    }
    if (label && data.label) {
      label.textContent = data.label;
      label.setAttribute("lang", data.label_lang || "en");
    }
    if (form === compose) {
      textBox.value = "";
    }
    announce(nodes);

    var latest = document.getElementById("latest");
    if (latest) {
      latest.scrollIntoView({ block: "start" });
    }
    var firstChoice = log.querySelector("form.choices button");
    if (form !== compose && firstChoice) {
      firstChoice.focus({ preventScroll: true });
    } else {
      textBox.focus({ preventScroll: true });
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-chat")) {
      return;
    }
    event.preventDefault();
    if (pending) {
      return; // a double tap: the first one is on its way
    }
    pending = true;
    var submitter = event.submitter || (lastPressed && lastPressed.form === form ? lastPressed : null);
    var body = new URLSearchParams();
    var fields = new FormData(form);
    fields.forEach(function (value, name) {
      body.append(name, value);
    });
    if (submitter && submitter.name) {
      body.append(submitter.name, submitter.value);
    }
    form.setAttribute("aria-busy", "true");
    window
      .fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: body,
        credentials: "same-origin",
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        form.removeAttribute("aria-busy");
        pending = false;
        apply(data, form);
      })
      .catch(function () {
        plainPost(form, submitter);
      });
  });
})();
