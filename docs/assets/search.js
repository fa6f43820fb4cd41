/* Cổng Kế hoạch: search for Vietnamese readers (header box on every page; the engine the task
 * finder /tra-cuu/ uses too).
 *
 * The index is built by generator/search.py into chi-muc/; its docstring describes the files.
 * `fold` here and `fold` there must agree on every string (a browser test compares them).
 * Data text is only ever put on the page with textContent / createTextNode, never as HTML.
 * No request leaves the site: every fetch is relative to the site root.
 */
(function () {
  "use strict";

  // --- folding (generator/search.py: fold, canonical_words, query_terms, fnv1a) -------------

  var MARKS = /\p{M}/gu;
  var NOT_WORD = /[^a-z0-9]+/g;

  function fold(text) {
    var s = String(text).toLowerCase().normalize("NFD").replace(MARKS, "");
    s = s.replace(/[đð]/g, "d");
    return s.replace(NOT_WORD, " ").trim();
  }

  function canonicalWords(text, abbr) {
    var out = [];
    fold(text).split(" ").forEach(function (word) {
      if (!word) return;
      var long = abbr && Object.prototype.hasOwnProperty.call(abbr, word) ? abbr[word] : null;
      if (long) out.push.apply(out, long.split(" "));
      else out.push(word);
    });
    return out;
  }

  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // The query's words in runs joined by bigrams the index knows (query_phrases in Python).
  function queryPhrases(words, known) {
    var phrases = [];
    words.forEach(function (word, i) {
      if (i > 0 && known(words[i - 1] + " " + word)) phrases[phrases.length - 1].push(word);
      else phrases.push([word]);
    });
    return phrases;
  }

  // The terms a query needs: a lone word, or the fewest bigrams covering a phrase (query_terms).
  function queryTerms(words, known) {
    var out = [];
    queryPhrases(words, known).forEach(function (p) {
      if (p.length === 1) { out.push(p[0]); return; }
      var starts = [];
      for (var i = 0; i < p.length - 1; i += 2) starts.push(i);
      if (p.length % 2) starts.push(p.length - 2);
      starts.forEach(function (k) { out.push(p[k] + " " + p[k + 1]); });
    });
    return out.filter(function (t, k) { return out.indexOf(t) === k; });
  }

  // --- bitmaps over document numbers ------------------------------------------------------

  function bmNew(n) { return new Uint32Array((n + 31) >>> 5); }
  function bmSet(bm, i) { bm[i >>> 5] |= 1 << (i & 31); }
  function bmRange(bm, a, b) { for (var i = a; i < b; i++) bmSet(bm, i); }
  function bmAnd(a, b) { for (var i = 0; i < a.length; i++) a[i] &= b[i]; return a; }
  function bmOr(a, b) { for (var i = 0; i < a.length; i++) a[i] |= b[i]; return a; }
  function bmAndNot(a, b) { for (var i = 0; i < a.length; i++) a[i] &= ~b[i]; return a; }
  function bmCount(a) {
    var n = 0;
    for (var i = 0; i < a.length; i++) {
      var x = a[i];
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }
  // Up to `limit` set bits from position `skip` on (counting set bits), ascending.
  function bmTake(a, skip, limit) {
    var out = [];
    for (var w = 0; w < a.length && out.length < limit; w++) {
      var x = a[w];
      if (!x) continue;
      for (var bit = 0; bit < 32 && x; bit++) {
        if (x & 1) {
          if (skip > 0) skip--;
          else { out.push(w * 32 + bit); if (out.length >= limit) break; }
        }
        x >>>= 1;
      }
    }
    return out;
  }

  function base64Bytes(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Posting list text (encode_ids in Python) into the bitmap `bm`.
  function decodeInto(bm, encoded) {
    if (!encoded) return bm;
    var data = base64Bytes(encoded.slice(1));
    var p = 0;
    function varint() {
      var value = 0, scale = 1, b;
      do { b = data[p++]; value += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
      return value;
    }
    var kind = encoded.charAt(0);
    if (kind === "b") {
      var firstByte = varint();
      var bytes = new Uint8Array(bm.buffer);
      for (var i = p; i < data.length; i++) bytes[firstByte + i - p] |= data[i];
    } else if (kind === "v") {
      var x = 0;
      while (p < data.length) { x += varint(); bmSet(bm, x); }
    } else if (kind === "r") {
      var end = 0;
      while (p < data.length) {
        var begin = end + varint();
        var length = varint();
        bmRange(bm, begin, begin + length);
        end = begin + length;
      }
    }
    return bm;
  }

  // --- the engine ------------------------------------------------------------------------

  function Engine(root) {
    this.root = root; // URL of the site root, ending in "/"
    this.base = new URL("chi-muc/", root).href;
    this.cache = new Map();
    this.metaPromise = null;
  }

  Engine.prototype.meta = function () {
    if (!this.metaPromise) {
      var self = this;
      this.metaPromise = fetch(this.base + "meta.json", { cache: "no-cache" })
        .then(function (r) {
          if (!r.ok) throw new Error("chỉ mục tìm kiếm chưa có (" + r.status + ")");
          return r.json();
        })
        .catch(function (e) { self.metaPromise = null; throw e; });
    }
    return this.metaPromise;
  };

  Engine.prototype.get = function (path) {
    var self = this;
    if (!this.cache.has(path)) {
      var promise = this.meta().then(function (meta) {
        return fetch(self.base + path + "?v=" + meta.v).then(function (r) {
          if (!r.ok) throw new Error("không tải được " + path + " (" + r.status + ")");
          return r.json();
        });
      });
      promise.catch(function () { self.cache.delete(path); });
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  };

  // The entry of a term or filter key ([lead, support, other] posting texts), or null.
  Engine.prototype.entry = function (key) {
    var self = this;
    return this.meta().then(function (meta) {
      return self.get("s/" + (fnv1a(key) % meta.shards) + ".json").then(function (shard) {
        return Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
      });
    });
  };

  // An entry is the three lists, or "@n" when they are in p/n.json.
  Engine.prototype.lists = function (entry, n, wanted) {
    var load = typeof entry === "string" ? this.get("p/" + entry.slice(1) + ".json") : Promise.resolve(entry || ["", "", ""]);
    return load.then(function (texts) {
      return texts.map(function (text, slot) {
        return wanted && !wanted[slot] ? null : decodeInto(bmNew(n), text);
      });
    });
  };

  Engine.prototype.anyOf = function (key, n) {
    return this.entry(key).then(function (entry) { return this.lists(entry, n); }.bind(this))
      .then(function (l) { return bmOr(bmOr(l[0], l[1]), l[2]); });
  };

  /* What a query finds (generator/search.py: evaluate). `opts`: q, place, plan, agency, role,
   * timeline, tasksOnly. Resolves to {words, terms, tiers: [lead, support, other] bitmaps,
   * counts, total}. */
  Engine.prototype.search = function (opts) {
    var self = this;
    return this.meta().then(function (meta) {
      var n = meta.docs;
      var words = canonicalWords(opts.q || "", meta.abbr);
      var keep = bmNew(n);
      bmRange(keep, opts.tasksOnly ? meta.tasks : 0, n);
      var filterKeys = [];
      if (opts.place) filterKeys.push("@j:" + opts.place);
      if (opts.plan) filterKeys.push("@p:" + opts.plan);
      if (opts.timeline) filterKeys.push("@k:" + opts.timeline);
      var role = opts.role === "chu-tri" || opts.role === "phoi-hop" ? opts.role : null;
      var pending = filterKeys.map(function (key) { return self.anyOf(key, n); });
      var agency = opts.agency
        ? Promise.all([self.anyOf("@a:" + opts.agency + ":l", n), self.anyOf("@a:" + opts.agency + ":s", n)])
        : Promise.resolve(null);
      // Every word's and bigram's shard at once (small files, one round trip); the bigrams
      // found decide the terms, and only the terms' posting lists are fetched after that.
      var entries = {};
      var keys = words.slice();
      for (var i = 0; i + 1 < words.length; i++) keys.push(words[i] + " " + words[i + 1]);
      var phrases = [];
      var looked = Promise.all(keys.map(function (key) {
        return self.entry(key).then(function (e) { entries[key] = e; });
      })).then(function () {
        function known(key) { return entries[key] != null; }
        phrases = queryPhrases(words, known);
        return queryTerms(words, known);
      });
      return Promise.all([Promise.all(pending), agency, looked]).then(function (got) {
        got[0].forEach(function (bm) { bmAnd(keep, bm); });
        var leadOf = got[1] ? got[1][0] : null;
        if (got[1]) {
          var supportOf = got[1][1];
          bmAnd(keep, role === "chu-tri" ? leadOf : role === "phoi-hop" ? supportOf : bmOr(leadOf.slice(), supportOf));
        }
        var empty = bmNew(n);
        if (!words.length) {
          if (leadOf) {
            var first = bmAnd(keep.slice(), leadOf);
            return finish([first, bmAndNot(keep, first), empty], words, []);
          }
          if (!filterKeys.length) return finish([empty, empty, bmNew(n)], words, []);
          return finish([empty, empty, keep], words, []);
        }
        var terms = got[2];
        if (terms.some(function (t) { return !entries[t]; })) {
          return finish([empty, empty, empty], words, terms, phrases); // a term no text has
        }
        // A role without an agency filter asks about the query's agency: one field suffices.
        var roleOnly = role && !leadOf;
        var wanted = roleOnly ? [role === "chu-tri", role === "phoi-hop", false] : [true, true, true];
        return Promise.all(terms.map(function (t) { return self.lists(entries[t], n, wanted); })).then(function (lists) {
          var every = keep.slice(), lead = keep.slice(), support = keep.slice();
          lists.forEach(function (l) {
            if (wanted[0]) bmAnd(lead, l[0]);
            if (wanted[1]) bmAnd(support, l[1]);
            if (wanted[2]) bmAnd(every, bmOr(bmOr(l[0].slice(), l[1]), l[2]));
          });
          if (roleOnly) {
            return finish(role === "chu-tri" ? [lead, empty, empty] : [empty, support, empty], words, terms, phrases);
          }
          var tier1 = bmAnd(every.slice(), lead);
          var tier2 = bmAndNot(bmAnd(every.slice(), support), tier1);
          var tier3 = bmAndNot(bmAndNot(every, tier1), tier2);
          return finish([tier1, tier2, tier3], words, terms, phrases);
        });
      });
    });

    function finish(tiers, words, terms, phrases) {
      var counts = tiers.map(bmCount);
      return {
        words: words, terms: terms, phrases: phrases || [], tiers: tiers, counts: counts,
        total: counts[0] + counts[1] + counts[2]
      };
    }
  };

  // Hits `offset`…`offset + limit - 1` in rank order, as [{id, tier}].
  Engine.prototype.slice = function (result, offset, limit) {
    var out = [];
    for (var t = 0; t < 3 && out.length < limit; t++) {
      var count = result.counts[t];
      if (offset >= count) { offset -= count; continue; }
      bmTake(result.tiers[t], offset, limit - out.length).forEach(function (id) { out.push({ id: id, tier: t }); });
      offset = 0;
    }
    return out;
  };

  Engine.prototype.records = function (ids) {
    var self = this;
    return this.meta().then(function (meta) {
      return Promise.all(ids.map(function (id) {
        return self.get("r/" + Math.floor(id / meta.chunk) + ".json").then(function (chunk) {
          return chunk[id % meta.chunk];
        });
      }));
    });
  };

  // --- showing results -------------------------------------------------------------------

  // `text` into `parent`, each run of words that matches a phrase of the query wrapped in <mark>
  // (a phrase: query words joined by bigrams the index knows). Abbreviations in the text match
  // through their long form, so `NHCSXH` is marked for `ngan hang chinh sach xa hoi`.
  function highlight(parent, text, result, abbr) {
    text = String(text == null ? "" : text);
    var phrases = result.phrases || [];
    var tokens = [], stream = [];
    var re = /[\p{L}\p{N}\p{M}]+/gu, m;
    while ((m = re.exec(text))) {
      var index = tokens.length;
      tokens.push({ start: m.index, end: m.index + m[0].length, marked: false });
      canonicalWords(m[0], abbr).forEach(function (w) { stream.push({ w: w, t: index }); });
    }
    phrases.forEach(function (p) {
      for (var k = 0; k + p.length <= stream.length; k++) {
        var same = true;
        for (var j = 0; j < p.length && same; j++) same = stream[k + j].w === p[j];
        if (same) for (j = 0; j < p.length; j++) tokens[stream[k + j].t].marked = true;
      }
    });
    var at = 0;
    for (var i = 0; i < tokens.length; i++) {
      if (!tokens[i].marked) continue;
      var j = i;
      while (j + 1 < tokens.length && tokens[j + 1].marked && /^\s*$/.test(text.slice(tokens[j].end, tokens[j + 1].start))) j++;
      if (tokens[i].start > at) parent.appendChild(document.createTextNode(text.slice(at, tokens[i].start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(tokens[i].start, tokens[j].end);
      parent.appendChild(mark);
      at = tokens[j].end;
      i = j;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
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

  function timing(where, query, started) {
    var list = (window.ckhSearch.timings = window.ckhSearch.timings || []);
    list.push({ where: where, q: query, ms: performance.now() - started });
  }

  // --- the header search box -------------------------------------------------------------

  var HEADER_LIMIT = 8;

  function setupHeader(form) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".ckh-search-panel");
    var status = form.querySelector(".ckh-search-status");
    var list = form.querySelector(".ckh-search-list");
    var more = form.querySelector(".ckh-search-more");
    var root = rootOf(form);
    var engine = window.ckhSearch.engineFor(root);
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
      engine.search({ q: q }).then(function (result) {
        if (mine !== seq) return null;
        var hits = engine.slice(result, 0, HEADER_LIMIT);
        return engine.records(hits.map(function (h) { return h.id; })).then(function (records) {
          if (mine !== seq) return;
          return engine.meta().then(function (meta) {
            show(q, result, records, meta);
            timing("header", q, started);
          });
        });
      }).catch(function (e) {
        if (mine !== seq) return;
        status.textContent = "Chưa tìm được: " + e.message;
        open(true);
      });
    }

    function show(q, result, records, meta) {
      list.textContent = "";
      setActive(-1);
      records.forEach(function (r, i) {
        var link = el("a", { href: new URL(r.u, root).href, tabindex: "-1" }, [
          el("span", { class: "ckh-kind", text: KIND_NAMES[r.k] || "" }),
          highlight(el("span", { class: "ckh-title" }), r.t, result, meta.abbr),
          r.k === "task" ? el("span", { class: "ckh-detail", text: r.p }) : null,
          el("span", { class: "ckh-snippet" }),
        ]);
        var snippet = link.lastChild;
        if (r.k === "task") highlight(snippet, r.x, result, meta.abbr);
        else highlight(snippet, r.d, result, meta.abbr);
        list.appendChild(el("li", { role: "option", id: form.id + "-opt-" + i, "aria-selected": "false" }, [link]));
      });
      if (!result.total) {
        status.textContent = "Không tìm thấy kết quả cho “" + q + "”. Hãy thử ít từ hơn, hoặc viết đầy đủ tên cơ quan.";
      } else if (result.total > records.length) {
        status.textContent = "Có " + result.total.toLocaleString("vi-VN") + " kết quả; đây là " + records.length + " kết quả đầu.";
      } else {
        status.textContent = "Có " + result.total + " kết quả.";
      }
      more.href = new URL("tra-cuu/?q=" + encodeURIComponent(q).replace(/%20/g, "+"), root).href;
      more.hidden = false;
      open(true);
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

  var engines = {};
  window.ckhSearch = {
    fold: fold,
    canonicalWords: canonicalWords,
    queryTerms: queryTerms,
    queryPhrases: queryPhrases,
    fnv1a: fnv1a,
    decode: function (encoded, n) { return bmTake(decodeInto(bmNew(n), encoded), 0, n); },
    highlight: highlight,
    el: el,
    rootOf: rootOf,
    timing: timing,
    kindNames: KIND_NAMES,
    engineFor: function (root) { return (engines[root] = engines[root] || new Engine(root)); },
    timings: [],
  };

  function start() {
    document.querySelectorAll("form.ckh-search").forEach(setupHeader);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
