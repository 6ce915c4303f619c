// Small progressive enhancements; every page works without this file.
// - votes without reloading the page
// - live markdown preview under editors (textarea[data-preview])
// - an old link to an answer now on another page of its thread finds that page
// - the browser's time zone, told to the server once, so times show in the reader's zone
// - the language switcher applies on change
// - live pages: the bell's count and "1 new answer — show" on a thread (Server-Sent Events)
// - a card over a name (hover, focus, or a first tap): reputation, level, member since
// - attachments: drop files on an editor, paste a screenshot, or choose files; each upload
//   puts its Markdown at the cursor
// Words shown by this file come from the page (data-* attributes), never from here.
(function () {
  "use strict";

  // First visit: remember the browser's time zone in a cookie the server reads on later pages
  // (the account page's setting, when made, wins).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("peerdesk_tz=") === -1) {
      document.cookie = "peerdesk_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl: the site's zone applies */ }

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var form = select.form;
    if (!form) return;
    var button = form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
    select.addEventListener("change", function () { form.submit(); });
  });

  // A thread's answers come in pages; `#post-N` of an answer on another page goes through the
  // permalink `/p/N`, which redirects to the page it is on now.
  var anchor = /^#post-(\d+)$/.exec(window.location.hash);
  if (anchor && document.getElementById("h-answers") && !document.getElementById("post-" + anchor[1])) {
    window.location.replace("/p/" + anchor[1]);
    return;
  }

  function csrfOf(form) {
    var input = form.querySelector("input[name=csrf]");
    return input ? input.value : "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("vote-form") || !window.fetch) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin"
    }).then(function (resp) {
      if (!resp.ok) { form.submit(); return null; }
      return resp.json();
    }).then(function (data) {
      if (!data) return;
      var box = form.closest(".vote");
      box.querySelector(".score").textContent = data.score;
      box.querySelectorAll(".vote-form").forEach(function (f) {
        var button = f.querySelector("button");
        var valueInput = f.querySelector("input[name=value]");
        var up = button.classList.contains("vote-up");
        var on = (up && data.my_vote === 1) || (!up && data.my_vote === -1);
        button.classList.toggle("on", on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        valueInput.value = on ? "0" : (up ? "1" : "-1");
      });
    }).catch(function () { form.submit(); });
  });

  function setupPreview(textarea) {
    var target = document.getElementById(textarea.dataset.preview);
    var form = textarea.form;
    if (!target || !form) return;
    var timer = null;
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!textarea.value.trim()) { target.hidden = true; return; }
        fetch("/preview", {
          method: "POST",
          body: new URLSearchParams({ csrf: csrfOf(form), body: textarea.value }),
          credentials: "same-origin"
        }).then(function (resp) { return resp.ok ? resp.text() : null; })
          .then(function (html) {
            if (html === null) return;
            target.innerHTML = html; // sanitised by the server's markdown pipeline
            target.hidden = false;
          });
      }, 300);
    });
    // Editors that open prefilled (promoting a thread) show the preview at once.
    if ("previewInitial" in textarea.dataset && textarea.value.trim() && target.hidden) {
      textarea.dispatchEvent(new Event("input"));
    }
  }

  document.querySelectorAll("textarea[data-preview]").forEach(setupPreview);

  // Attachments. The control is hidden in the page and shown here: without this script there
  // is nothing it could do.
  function setupAttach(box) {
    var textarea = document.getElementById(box.dataset.attach);
    var form = textarea && textarea.form;
    var input = box.querySelector("input[type=file]");
    var status = box.querySelector(".attach-status");
    if (!form || !input || !status || !window.fetch) return;
    box.hidden = false;
    function word(key, name) { return String(box.dataset[key] || "").replace("{name}", name); }
    function insert(markdown) {
      var at = typeof textarea.selectionStart === "number" ? textarea.selectionStart : textarea.value.length;
      var before = textarea.value.slice(0, at), after = textarea.value.slice(at);
      var pre = before && !/\n$/.test(before) ? "\n" : "";
      var text = pre + markdown + "\n";
      textarea.value = before + text + after;
      textarea.selectionStart = textarea.selectionEnd = at + text.length;
      textarea.dispatchEvent(new Event("input"));
    }
    function upload(file) {
      var name = file.name || "screenshot.png";
      var line = document.createElement("li");
      line.className = "uploading";
      line.textContent = word("uploading", name);
      status.appendChild(line);
      fetch("/attachments?filename=" + encodeURIComponent(name), {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRF-Token": csrfOf(form) },
        body: file,
        credentials: "same-origin"
      }).then(function (resp) {
        return resp.json().then(function (data) { return { ok: resp.ok, data: data }; },
          function () { return { ok: false, data: {} }; });
      }).then(function (r) {
        if (r.ok && r.data.markdown) {
          insert(r.data.markdown);
          line.className = "done";
          line.textContent = word("uploaded", name);
        } else {
          line.className = "error";
          line.textContent = word("failed", name) + " " + (r.data.message || "");
        }
      }).catch(function () {
        line.className = "error";
        line.textContent = word("failed", name);
      });
    }
    function uploadAll(files) { Array.prototype.forEach.call(files, upload); }
    function hasFiles(ev) {
      return ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types || [], "Files") !== -1;
    }
    input.addEventListener("change", function () { uploadAll(input.files); input.value = ""; });
    [textarea, box].forEach(function (zone) {
      zone.addEventListener("dragover", function (ev) {
        if (!hasFiles(ev)) return;
        ev.preventDefault();
        box.classList.add("dragging");
      });
      zone.addEventListener("dragleave", function () { box.classList.remove("dragging"); });
      zone.addEventListener("drop", function (ev) {
        box.classList.remove("dragging");
        if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
        ev.preventDefault();
        uploadAll(ev.dataTransfer.files);
      });
    });
    textarea.addEventListener("paste", function (ev) {
      var files = ev.clipboardData && ev.clipboardData.files;
      if (!files || !files.length) return;
      ev.preventDefault();
      uploadAll(files);
    });
  }
  document.querySelectorAll("[data-attach]").forEach(setupAttach);

  // Similar answered questions while the asker types a title (debounced).
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" }[c];
    });
  }
  // A word the page gives in `data-<name>` of `el` (in the reader's language); the English
  // fallback only covers a page without the attribute.
  function pageWord(el, name, fallback) {
    var value = el && el.dataset ? el.dataset[name] : undefined;
    return typeof value === "string" && value !== "" ? value : fallback;
  }
  // A thread status as the page words it (`data-status-open`, `data-status-solved`, …).
  function statusWord(box, status) {
    var s = String(status || "");
    return pageWord(box, "status" + s.charAt(0).toUpperCase() + s.slice(1), s);
  }
  function setupSimilar(input) {
    var box = document.getElementById(input.dataset.similar);
    if (!box || !window.fetch) return;
    var ownHeading = pageWord(box, "ownHeading", "Is this about one of your open questions?");
    var followupLabel = pageWord(box, "followupLabel", "Add what I wrote as a follow-up");
    var similarHeading = pageWord(box, "similarHeading", "Already answered — does one of these help?");
    var kbLabel = pageWord(box, "kbLabel", "Knowledge base");
    var timer = null, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q === last) return;
        last = q;
        if (q.length < 3) { box.hidden = true; return; }
        // The page's visit id goes along, so the dashboard can tell whether this visit opened
        // a suggestion and then asked anyway.
        var visit = box.dataset.askSession ? "&ask_session=" + encodeURIComponent(box.dataset.askSession) : "";
        fetch("/api/v1/search/similar?q=" + encodeURIComponent(q) + visit, { credentials: "same-origin" })
          .then(function (resp) { return resp.ok ? resp.json() : null; })
          .then(function (data) {
            if (!data || q !== last) return;
            // The page lists the asker's open threads already (with follow-up buttons).
            var own = document.querySelector(".own-threads") ? [] : (data.own_open_threads || []);
            if (!data.hits.length && !own.length) { box.hidden = true; box.innerHTML = ""; return; }
            var html = "";
            if (own.length) {
              html += "<h2>" + escapeHtml(ownHeading) + "</h2><ul class=\"plain\">";
              own.forEach(function (t) {
                html += "<li><a href=\"" + escapeHtml(t.url) + "\" data-user>" + escapeHtml(t.title) + "</a> <span class=\"badge status-" +
                  escapeHtml(t.status) + "\">" + escapeHtml(statusWord(box, t.status)) + "</span> <button type=\"submit\" formnovalidate " +
                  "class=\"button small add-followup\" formaction=\"/t/" + Number(t.id) + "/followups\">" + escapeHtml(followupLabel) + "</button></li>";
              });
              html += "</ul>";
            }
            if (data.hits.length) html += "<h2>" + escapeHtml(similarHeading) + "</h2><ul class=\"plain\">";
            data.hits.forEach(function (h) {
              var badge = h.type === "article" ? "<span class=\"badge kb\">" + escapeHtml(kbLabel) + "</span>" :
                "<span class=\"badge status-" + escapeHtml(h.status) + "\">" + escapeHtml(statusWord(box, h.status)) + "</span>";
              // Through the click link, so an opened suggestion is counted (it redirects on).
              var href = data.search_id ? "/search/click/" + encodeURIComponent(data.search_id) + "/" +
                encodeURIComponent(h.type) + "/" + Number(h.id) : h.url;
              html += "<li><a href=\"" + escapeHtml(href) + "\" data-user>" + escapeHtml(h.title) + "</a> " + badge + "<br><small class=\"snippet\" data-user>" +
                h.snippet_html + "</small></li>"; // snippet_html is escaped by the server
            });
            box.innerHTML = html + (data.hits.length ? "</ul>" : "");
            box.hidden = false;
          });
      }, 250);
    });
  }
  document.querySelectorAll("input[data-similar]").forEach(setupSimilar);

  // Ask page: attach the setup entries of the chosen product (until the asker ticks a box
  // themselves) and show the product's first-response target.
  var category = document.getElementById("category");
  // A product may require private questions (the box is ticked and fixed) or forbid them
  // (unticked and fixed); the server enforces the same rule.
  function applyPrivacy(option) {
    var box = document.getElementById("private");
    if (!box || !option) return;
    var rule = option.dataset.private || "optional";
    if (rule === "required") box.checked = true;
    if (rule === "forbidden") box.checked = false;
    box.disabled = rule !== "optional";
  }
  if (category) applyPrivacy(category.options[category.selectedIndex]);
  if (category) {
    var touched = false;
    document.querySelectorAll(".setup-attach").forEach(function (box) {
      box.addEventListener("change", function () { touched = true; });
    });
    category.addEventListener("change", function () {
      var option = category.options[category.selectedIndex];
      var hint = document.getElementById("category-target");
      // The page words the sentence in `data-hint` of each option (empty: no target).
      if (hint) {
        if (option && typeof option.dataset.hint === "string") hint.textContent = option.dataset.hint;
        else hint.textContent = option && option.dataset.target ? "Staff usually reply within " + option.dataset.target + "." : "";
      }
      applyPrivacy(option);
      if (touched) return;
      // As the server does: at most `data-max` ticked, the rows come most recently updated first.
      var fields = document.querySelector(".setup-fields");
      var max = fields && fields.dataset.max ? parseInt(fields.dataset.max, 10) : Infinity;
      var ticked = 0;
      document.querySelectorAll(".setup-row[data-category]").forEach(function (row) {
        var box = row.querySelector(".setup-attach");
        if (!box) return;
        box.checked = row.dataset.category === category.value && ticked < max;
        if (box.checked) ticked += 1;
      });
    });
  }

  // Promise forms: a datetime-local value is the browser's local time; send the offset of that
  // moment (it differs from today's across a daylight-saving change).
  document.querySelectorAll("form.promise-form").forEach(function (form) {
    var offset = form.querySelector("input.tz-offset");
    var due = form.querySelector("input[name=due]");
    if (!offset) return;
    offset.value = String(new Date().getTimezoneOffset());
    form.addEventListener("submit", function () {
      var at = due && due.value ? new Date(due.value) : null;
      if (at && !isNaN(at.getTime())) offset.value = String(at.getTimezoneOffset());
    });
  });

  // Live: one event stream per page, for the bell (signed in) and the open thread.
  var bell = document.getElementById("bell");
  var banner = document.getElementById("live-banner");
  if ((bell || banner) && window.EventSource) {
    var url = "/live" + (banner ? "?thread=" + encodeURIComponent(banner.dataset.thread) : "");
    var source = new EventSource(url);
    var count = document.getElementById("bell-count");
    source.addEventListener("unread", function (e) {
      if (!count) return;
      var n = parseInt(e.data, 10) || 0;
      count.textContent = n >= 100 ? "99+" : String(n);
      count.hidden = n === 0;
      bell.classList.toggle("has-unread", n > 0);
    });
    var fresh = { answer: 0, comment: 0 };
    source.addEventListener("post", function (e) {
      if (!banner) return;
      var post;
      try { post = JSON.parse(e.data); } catch (err) { return; }
      // A follow-up shows like an answer (a new post on the page).
      var kind = post.kind === "comment" ? "comment" : "answer";
      fresh[kind] += 1;
      var parts = [];
      ["answer", "comment"].forEach(function (k) {
        var n = fresh[k];
        if (!n) return;
        var words = n === 1 ? banner.dataset[k + "One"] : banner.dataset[k + "Many"].replace("2", String(n));
        parts.push(words);
      });
      banner.textContent = parts.join(", ") + " — ";
      var show = document.createElement("a");
      show.href = "/p/" + post.post + "#post-" + post.post;
      show.textContent = banner.dataset.show;
      show.addEventListener("click", function (ev) {
        ev.preventDefault();
        window.location.assign("/p/" + post.post);
      });
      banner.appendChild(show);
      banner.hidden = false;
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // The card over a name: fetched once per name, shown while the pointer or focus is on the
  // name or the card (so its link can be reached), closed by Escape; on touch screens the
  // first tap shows it, the second follows the link.
  var cards = {};
  var cardCount = 0;
  function cardOf(link) {
    var box = link.nextElementSibling;
    if (box && box.classList.contains("user-card")) return box;
    box = document.createElement("div");
    box.className = "user-card";
    box.id = "user-card-" + (++cardCount);
    box.hidden = true;
    link.setAttribute("aria-describedby", box.id);
    link.insertAdjacentElement("afterend", box);
    box.addEventListener("mouseenter", function () { clearTimeout(box.closing); });
    box.addEventListener("mouseleave", function () { hideSoon(link); });
    box.addEventListener("focusout", function (ev) {
      if (!box.contains(ev.relatedTarget) && ev.relatedTarget !== link) box.hidden = true;
    });
    return box;
  }
  function showCard(link) {
    var handle = link.dataset.card;
    var box = cardOf(link);
    clearTimeout(box.closing);
    var fill = function (html) { box.innerHTML = html; box.hidden = false; };
    if (cards[handle]) { fill(cards[handle]); return; }
    fetch("/u/" + encodeURIComponent(handle) + "/card", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html) { cards[handle] = html; fill(html); } })
      .catch(function () { /* no card: the link still works */ });
  }
  function hideSoon(link) {
    var box = cardOf(link);
    clearTimeout(box.closing);
    box.closing = setTimeout(function () { box.hidden = true; }, 300);
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    document.querySelectorAll(".user-card").forEach(function (box) { box.hidden = true; });
  });
  document.querySelectorAll("a[data-card]").forEach(function (link) {
    link.addEventListener("mouseenter", function () { showCard(link); });
    link.addEventListener("mouseleave", function () { hideSoon(link); });
    link.addEventListener("focus", function () { showCard(link); });
    link.addEventListener("blur", function (ev) {
      var box = cardOf(link);
      if (!box.contains(ev.relatedTarget)) box.hidden = true;
    });
    link.addEventListener("pointerup", function (ev) {
      if (ev.pointerType !== "touch" || link.dataset.cardShown) return;
      link.dataset.cardShown = "1";
      showCard(link);
    });
    link.addEventListener("click", function (ev) {
      if (link.dataset.cardShown === "1") { link.dataset.cardShown = "2"; ev.preventDefault(); }
    });
  });
})();
