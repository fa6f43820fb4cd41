//# allFunctionsCalledOnLoad
/* Cổng Kế hoạch: the header search box on every page, and the showing of results it shares with
 * the task finder (search-finder.js): highlighting, excerpts, results in order as they come.
 * Queries go to the engine (search-engine.js, loaded before this file, as window.ckhSearch).
 * Data text is only ever put on the page with textContent / createTextNode, never as HTML.
 * Line 1: compiled while it loads, as search-engine.js is (see there).
 */
(function () {
  "use strict";

  var S = window.ckhSearch;
  // Without the engine there is nothing to search with. The finder's page runs this file early,
  // in its content; the copy every page loads at its end then finds it set up already.
  if (!S || S.highlight) return;
  var fold = S.fold;
  var canonicalWords = S.canonicalWords;

  // Calls `each(value, i)` for the promises' values in their order, each as soon as it and all
  // before it have come; resolves when all have been handled. The first value is shown in a
  // frame of its own: those that came with it wait until that frame is painted, so that it lays
  // out and paints one result, not a page of them (hits of scattered record files come all
  // together).
  function inOrder(promises, each) {
    var last = Promise.resolve();
    promises.forEach(function (promise, i) {
      last = Promise.all([last, promise]).then(function (got) {
        each(got[1], i);
        if (i === 0 && promises.length > 1) return painted();
      });
    });
    return last;
  }

  // After the next frame is painted (a task queued from a frame's callback runs after its paint).
  function painted() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }

  // --- showing results -------------------------------------------------------------------

  var TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
  var BLANK = /^\s*$/;
  var NO_ABBREVIATIONS = {};
  var wordsOfToken = new WeakMap(); // abbreviations → (a word as written → its canonical words)

  // A token's canonical words, remembered: result texts repeat the same syllables.
  function tokenWords(token, abbr) {
    var known = wordsOfToken.get(abbr);
    if (!known) wordsOfToken.set(abbr, (known = new Map()));
    var got = known.get(token);
    if (!got) {
      got = canonicalWords(token, abbr);
      if (known.size < 50000) known.set(token, got);
    }
    return got;
  }

  // The runs [start, end) of `text` that match a phrase of the query (a phrase: query words
  // joined by bigrams the index knows), adjacent matched words in one run. Abbreviations in the
  // text match through their long form: `NHCSXH` matches `ngan hang chinh sach xa hoi`.
  function markedRuns(text, result, abbr) {
    var phrases = result.phrases || [];
    // Most fields of a result hold no phrase of the query: a fold of the whole text tells.
    var present = canonicalWords(text, abbr);
    var any = phrases.some(function (p) {
      return p.every(function (w) { return present.indexOf(w) >= 0; });
    });
    if (!any) return [];
    var tokens = [], stream = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      var index = tokens.length;
      tokens.push({ start: m.index, end: m.index + m[0].length, marked: false });
      var ws = tokenWords(m[0], abbr || NO_ABBREVIATIONS);
      for (var w = 0; w < ws.length; w++) stream.push({ w: ws[w], t: index });
    }
    phrases.forEach(function (p) {
      for (var k = 0; k + p.length <= stream.length; k++) {
        if (stream[k].w !== p[0]) continue;
        var same = true;
        for (var j = 1; j < p.length && same; j++) same = stream[k + j].w === p[j];
        if (same) for (j = 0; j < p.length; j++) tokens[stream[k + j].t].marked = true;
      }
    });
    var runs = [];
    for (var i = 0; i < tokens.length; i++) {
      if (!tokens[i].marked) continue;
      var j = i;
      while (j + 1 < tokens.length && tokens[j + 1].marked && BLANK.test(text.slice(tokens[j].end, tokens[j + 1].start))) j++;
      runs.push([tokens[i].start, tokens[j].end]);
      i = j;
    }
    return runs;
  }

  // `text` into `parent`, each run that matches a phrase of the query wrapped in <mark>.
  function highlight(parent, text, result, abbr) {
    text = String(text == null ? "" : text);
    var at = 0;
    markedRuns(text, result, abbr).forEach(function (run) {
      if (run[0] > at) parent.appendChild(document.createTextNode(text.slice(at, run[0])));
      parent.appendChild(el("mark", { text: text.slice(run[0], run[1]) }));
      at = run[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  // About `size` characters of `text` around its first match (from its start if none), cut at
  // spaces, "…" where text is left out: the words a line or two of a list can show are those
  // that matched, and the page lays out no more text than it shows.
  function excerpt(text, result, abbr, size) {
    text = String(text == null ? "" : text);
    if (text.length <= size) return text;
    var runs = markedRuns(text, result, abbr);
    var from = runs.length ? Math.max(0, runs[0][0] - Math.floor(size / 3)) : 0;
    if (from > 0) {
      var space = text.indexOf(" ", from);
      if (space >= 0 && space < runs[0][0]) from = space + 1;
    }
    var to = Math.min(text.length, from + size);
    if (to < text.length) {
      var cut = text.lastIndexOf(" ", to);
      if (cut > from) to = cut;
    }
    return (from > 0 ? "… " : "") + text.slice(from, to).trim() + (to < text.length ? " …" : "");
  }

  // A hit that holds the query's words but not the query as written (a query of two words or
  // more, in a loose tier): the page never presents it as a match of the phrase.
  function loose(result, tier) {
    return result.words.length > 1 && tier >= S.exactTiers;
  }

  var LOOSE_MARK = "Chứa từng chữ, không liền cụm";

  // A query read with a word corrected says so first, never as what was typed (search-engine.js:
  // correct): "Không có từ “chnh”; kết quả cho “chinh”. "
  function misread(result) {
    var c = result.corrections || [];
    if (!c.length) return "";
    function quoted(k) { return c.map(function (x) { return "“" + x[k] + "”"; }).join(", "); }
    return "Không có từ " + quoted(0) + "; kết quả cho " + quoted(1) + ". ";
  }

  // What a result counts, saying which kind: "Tìm thấy 3 kết quả chứa đúng cụm “hội nông dân” và 5
  // kết quả chỉ chứa từng chữ." `noun`: "kết quả" (header) or "nhiệm vụ" (finder); `where`:
  // what follows the count of exact matches (the finder's "(3 chủ trì, …)").
  function found(result, q, noun, where) {
    var read = misread(result);
    if (read) q = result.words.join(" ");
    var phrase = "“" + q.trim() + "”";
    where = where || "";
    if (result.words.length < 2) return read + "Tìm thấy " + count(result.total) + " " + noun + " khớp " + phrase + where + ".";
    if (result.counting) return read + "Các " + noun + " chứa đúng cụm " + phrase + where.replace(/^ \(.*\)$/, "") + ": đang đếm…";
    var rest = result.total - result.exact;
    var text = read + (result.exact
      ? "Tìm thấy " + count(result.exact) + " " + noun + " chứa đúng cụm " + phrase + where
      : "Không có " + noun + " nào chứa đúng cụm " + phrase + "; các " + noun + " dưới đây chứa từng chữ");
    if (result.exact && rest) text += "; " + count(rest) + " " + noun + " khác chỉ chứa từng chữ, xếp sau";
    else if (!result.exact) text += " (" + count(rest) + " " + noun + ")";
    if (result.partial) text += "; còn các " + noun + " chỉ chứa từng chữ chưa đếm";
    return text + ".";
  }

  // 35149 → "35.149", as Vietnamese writes it. Not toLocaleString: its first call loads the
  // locale's data, 10 ms or more on the first query of a page.
  function count(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var KIND_NAMES = {
    task: "Nhiệm vụ", plan: "Kế hoạch", agency: "Cơ quan", group: "Nhóm nhiệm vụ",
    document: "Văn bản", theme: "Chủ đề", place: "Địa bàn"
  };

  function rootOf(node) {
    var base = node.getAttribute("data-ckh-root") || "./";
    return new URL(base.replace(/\/?$/, "/"), window.location.href).href;
  }

  // For the benchmark and the tests: when a query's first results (`complete` false) and all its
  // results (`complete` true) were put on the page, in ms after `started`.
  // `counted`: the counts of a result shown while it counted (search-engine.js: `counting`)
  // came after its hits.
  function timing(where, query, started, complete, counted) {
    var list = (S.timings = S.timings || []);
    var now = performance.now();
    list.push({ where: where, q: query, ms: now - started, at: now, complete: complete, counted: !!counted });
  }

  // The counts of a result shown while it counts: `S.counting` says how many are on the way
  // (the benchmark waits for none).
  function countsOf(result) {
    S.counting = (S.counting || 0) + 1;
    var done = function () { S.counting--; };
    var promise = result.count();
    promise.then(done, done);
    return promise;
  }

  // --- the header search box -------------------------------------------------------------

  var HEADER_LIMIT = 8;
  var SNIPPET = 160; // characters of a hit's text in the header's list: about its two lines

  function setupHeader(form) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".ckh-search-panel");
    var status = form.querySelector(".ckh-search-status");
    var list = form.querySelector(".ckh-search-list");
    var more = form.querySelector(".ckh-search-more");
    var root = rootOf(form);
    var engine = S.engineFor(root);
    var seq = 0, active = -1;

    function open(show) {
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) setActive(-1);
    }
    function options() { return list.querySelectorAll("[role=option]"); }
    function setActive(i) {
      var opts = options();
      opts.forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      active = i;
      if (i >= 0 && i < opts.length) {
        opts[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function run(started) {
      var q = input.value;
      var mine = ++seq;
      if (!fold(q)) {
        list.textContent = "";
        status.textContent = "";
        open(false);
        return;
      }
      Promise.all([engine.search({ q: q, first: HEADER_LIMIT }), engine.meta()]).then(function (got) {
        if (mine !== seq) return null;
        var result = got[0], abbr = got[1].abbr, hits = engine.arriving(result, 0, HEADER_LIMIT);
        // A partial result (search-engine.js) whose exact hits leave room: the loose ones follow.
        var rest = result.partial && hits.length < HEADER_LIMIT;
        if (!hits.length) {
          show(q, result, 0);
          timing("header", q, started, true);
          return null;
        }
        return inOrder(hits, function (hit, i) {
          if (mine !== seq) return;
          if (i === 0) show(q, result, hits.length);
          list.appendChild(option(hit.record, hit.tier, i, result, abbr));
          if (i === 0) timing("header", q, started, hits.length === 1 && !rest);
        }).then(function () {
          if (mine !== seq) return null;
          if (!rest) {
            if (hits.length > 1) timing("header", q, started, true);
            return result.counting ? counting(mine, q, result, hits.length, started) : null;
          }
          return result.complete().then(function (whole) {
            if (mine !== seq) return null;
            var later = engine.arriving(whole, hits.length, HEADER_LIMIT - hits.length);
            status.textContent = counted(q, whole, hits.length + later.length);
            return inOrder(later, function (hit, i) {
              if (mine === seq) list.appendChild(option(hit.record, hit.tier, hits.length + i, whole, abbr));
            });
          }).then(function () {
            if (mine === seq) timing("header", q, started, true);
          });
        });
      }).catch(function (e) {
        if (mine !== seq) return;
        if (e.stale) { run(started); return; } // the index was rebuilt: the same query on the new one
        status.textContent = "Chưa tìm được: " + e.message;
        open(true);
      });
    }

    // The counts of a result whose first hits are shown while it counts (search-engine.js:
    // `counting`): the status says "đang đếm…" until they come.
    function counting(mine, q, result, shown, started) {
      return countsOf(result).then(function (whole) {
        if (mine !== seq) return;
        status.textContent = counted(q, whole, shown);
        timing("header", q, started, true, true);
      });
    }

    // The panel for a new result, its first `coming` hits still to come (option() adds each).
    function show(q, result, coming) {
      list.textContent = "";
      setActive(-1);
      status.textContent = counted(q, result, coming);
      more.href = new URL("tra-cuu/?q=" + encodeURIComponent(q).replace(/%20/g, "+"), root).href;
      more.hidden = false;
      open(true);
    }

    function counted(q, result, coming) {
      if (!result.total) return "Không tìm thấy kết quả cho “" + q + "”. Hãy thử ít từ hơn, hoặc viết đầy đủ tên cơ quan.";
      return found(result, q, "kết quả") + (result.total > coming ? " Đây là " + coming + " kết quả đầu." : "");
    }

    // A task found by the name of a member of a collective it names, matched in its text field.
    function through(r, tier, result, abbr) {
      var text = r.k === "task" && S.tierField[tier] === 2 ? S.throughCollective(r, result.words, abbr) : null;
      return text ? el("span", { class: "ckh-detail ckh-via", text: text }) : null;
    }

    function option(r, tier, i, result, abbr) {
      var link = el("a", { href: new URL(r.u, root).href, tabindex: "-1" }, [
        el("span", { class: "ckh-kind", text: KIND_NAMES[r.k] || "" }),
        highlight(el("span", { class: "ckh-title" }), r.t, result, abbr),
        r.k === "task" ? el("span", { class: "ckh-detail", text: r.p }) : null,
        r.k === "task" ? role(S.tierField[tier] === 0 ? r.l : S.tierField[tier] === 1 ? r.s : null, tier, result, abbr) : null,
        loose(result, tier) ? el("span", { class: "ckh-detail ckh-loose", text: LOOSE_MARK }) : null,
        through(r, tier, result, abbr),
        el("span", { class: "ckh-snippet" }),
      ]);
      highlight(link.lastChild, excerpt(r.k === "task" ? r.x : r.d, result, abbr, SNIPPET), result, abbr);
      return el("li", { role: "option", id: form.id + "-opt-" + i, "aria-selected": "false" }, [link]);
    }

    // A task found by its lead (tier 0) or support (tier 1) agencies says which matched, marked:
    // "Phối hợp: Phòng giao dịch NHCSXH …", the other agencies of a long list left out.
    function role(cells, tier, result, abbr) {
      if (!cells || !cells.length) return null;
      var names = cells.map(function (cell) { return cell[0]; });
      var matching = names.filter(function (name) { return markedRuns(name, result, abbr).length; });
      var line = el("span", { class: "ckh-detail ckh-role", text: S.tierField[tier] === 0 ? "Chủ trì: " : "Phối hợp: " });
      (matching.length ? matching : names).forEach(function (name, k) {
        if (k) line.appendChild(document.createTextNode("; "));
        highlight(line, name, result, abbr);
      });
      return line;
    }

    input.addEventListener("focus", function () { engine.meta().catch(function () {}); });
    input.addEventListener("input", function (event) {
      run(event.timeStamp || performance.now());
    });
    input.addEventListener("keydown", function (event) {
      var opts = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (panel.hidden) { if (fold(input.value)) run(performance.now()); return; }
        event.preventDefault();
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next < -1) next = opts.length - 1;
        if (next >= opts.length) next = -1;
        setActive(next);
      } else if (event.key === "Enter" && active >= 0 && opts[active]) {
        event.preventDefault();
        window.location.href = opts[active].querySelector("a").href;
      } else if (event.key === "Escape") {
        if (!panel.hidden) { event.preventDefault(); open(false); }
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) open(false);
    });
    form.addEventListener("submit", function (event) {
      if (!fold(input.value)) event.preventDefault();
    });
  }

  // The showing of results, beside the engine's functions: the finder uses both.
  S.highlight = highlight;
  S.count = count;
  S.found = found;
  S.loose = loose;
  S.looseMark = LOOSE_MARK;
  S.el = el;
  S.rootOf = rootOf;
  S.timing = timing;
  S.countsOf = countsOf;
  S.inOrder = inOrder;
  S.kindNames = KIND_NAMES;
  S.timings = [];

  function start() {
    document.querySelectorAll("form.ckh-search").forEach(setupHeader);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
