// The matcalc page: plain JavaScript, no build step. It talks to the server's JSON API
// (/api/parse while typing, /api/derive for the result) and renders LaTeX with the KaTeX
// that the server ships (a webjar), so it works offline.
(function () {
  "use strict";

  // Examples from the project's seeds; each was run through `bin/matcalc derive` first.
  const GALLERY = [
    { id: "quadratic", title: "Quadratic form", expr: "x'*A*x", wrt: "x" },
    { id: "trace-quadratic", title: "Trace of a quadratic", expr: "tr(X'*A*X)", wrt: "X" },
    { id: "bilinear", title: "Bilinear form", expr: "a'*X*b", wrt: "X",
      decls: { a: "vector(n)", b: "vector(m)" } },
    { id: "least-squares", title: "Least squares", expr: "norm2(X*w - y)^2", wrt: "w" },
    { id: "least-squares-hessian", title: "Least squares, Hessian", expr: "norm2(X*w - y)^2", wrt: "w", order: 2 },
    { id: "softmax-regression", title: "Softmax regression", expr: "-y'*log(softmax(W*x))", wrt: "W",
      decls: { y: "simplex(k)" } },
    { id: "two-layer-net", title: "Two-layer network", expr: "-y'*log(softmax(W2*relu(W1*x)))", wrt: "W1",
      decls: { y: "simplex(k)" } },
    { id: "logistic", title: "Logistic loss", expr: "sum(softplus(-y .* (X*w)))", wrt: "w" },
    { id: "attention", title: "Attention", expr: "softmax(Q*K'/sqrt(d), 2)*V", wrt: "V" },
    { id: "layer-norm", title: "Layer normalisation", expr: "(x - mean(x))/sqrt(mean((x - mean(x)).^2) + e)", wrt: "x" },
    { id: "batch-softmax", title: "Softmax regression, a batch", expr: "-sum(Y.*log(softmax(X*W + b', 2)))", wrt: "W" },
    { id: "hinge", title: "Hinge loss", expr: "sum(max(vector(1) - y.*(X*w), 0)) + lambda*norm2(w)^2", wrt: "w" },
    { id: "gaussian", title: "Gaussian log-likelihood", expr: "logdet(S) + tr(inv(S)*C)", wrt: "S",
      decls: { S: "spd(n)", C: "symmetric(n)" } },
    { id: "logsumexp", title: "Log-sum-exp", expr: "logsumexp(A*x)", wrt: "x" },
    { id: "determinant", title: "Determinant", expr: "det(X)", wrt: "X" },
    { id: "inverse", title: "Inverse (Jacobian)", expr: "inv(X)", wrt: "X" },
    { id: "sandwich", title: "Matrix sandwich (Jacobian)", expr: "A*X*B", wrt: "X" },
    { id: "expm", title: "Matrix exponential", expr: "expm(t*A)", wrt: "t", decls: { t: "scalar" } },
    { id: "lambda-max", title: "Largest eigenvalue", expr: "lambda_max(S)", wrt: "S",
      decls: { S: "symmetric(n)" } },
  ];

  // Kinds of the language (docs/language.md) and how many sizes each takes.
  const KINDS = [
    ["scalar", 0], ["vector", 1], ["rowvector", 1], ["matrix", 2], ["symmetric", 1],
    ["spd", 1], ["diagonal", 1], ["orthogonal", 1], ["simplex", 1],
  ];
  const KIND_SIZES = new Map(KINDS);
  const SIZE_PATTERN = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/;
  const PARSE_DELAY_MS = 250;
  const REQUEST_TIMEOUT_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const el = {
    form: $("form"), expr: $("expr"), status: $("expr-status"), error: $("error"),
    caret: $("caret"), errorMessage: $("error-message"), wrt: $("wrt"), order: $("order"),
    layout: $("layout"), variables: $("variables").tBodies[0], noVariables: $("no-variables"),
    resultCard: $("result-card"), result: $("result"), resultEmpty: $("result-empty"),
    resultMath: $("result-math"), resultText: $("result-text"), resultShape: $("result-shape"),
    resultConvention: $("result-convention"), check: $("check"), steps: $("steps"),
    stepsText: $("steps-text"), deriveError: $("derive-error"), copyStatus: $("copy-status"),
    codeBox: $("code-box"), codeLang: $("code-lang"), codeText: $("code-text"),
    gallery: $("gallery"),
  };

  const state = {
    decls: {},          // name -> kind, the declarations the user made (sent as "variables")
    parsed: null,       // the last successful /api/parse answer, for the current text
    preferredWrt: null, // asked for by an example or a link, applied once the name exists
    parseSeq: 0,        // answers to older requests are dropped
    deriveSeq: 0,
    lastDeriveKey: null,
    result: null,
    code: null,         // the code shown for the result: { key, lang, text }
    parseTimer: 0,
  };

  // ---- requests -------------------------------------------------------------------------

  async function post(path, body) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
    try {
      const res = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body),
        signal: ctl.signal,
      });
      let json = null;
      try { json = await res.json(); } catch (e) { /* not JSON: handled below */ }
      if (json && json.error) return { error: json.error };
      if (!res.ok || !json) return { error: { message: "the server answered " + res.status + " " + res.statusText } };
      return { ok: json };
    } catch (e) {
      const msg = e.name === "AbortError" ? "no answer within " + REQUEST_TIMEOUT_MS / 1000 + " s"
                                          : "the server cannot be reached (" + e.message + ")";
      return { error: { message: msg } };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The declarations that name something in the current text (others would be refused as unused). */
  function activeDecls() {
    const text = el.expr.value;
    const out = {};
    for (const [name, kind] of Object.entries(state.decls)) {
      const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      if (new RegExp("(^|[^A-Za-z0-9_])" + quoted + "(?![A-Za-z0-9_])").test(text)) out[name] = kind;
    }
    return out;
  }

  // ---- parsing while typing -------------------------------------------------------------

  function scheduleParse() {
    clearTimeout(state.parseTimer);
    state.parseTimer = setTimeout(runParse, PARSE_DELAY_MS);
  }

  async function runParse() {
    clearTimeout(state.parseTimer);
    const seq = ++state.parseSeq;
    const expression = el.expr.value;
    if (expression.trim() === "") {
      state.parsed = null;
      hideError();
      setStatus("");
      renderVariables([]);
      clearResult();
      return;
    }
    setStatus("checking…");
    const answer = await post("/api/parse", { expression, variables: activeDecls() });
    if (seq !== state.parseSeq) return;
    if (answer.error) {
      state.parsed = null;
      setStatus("");
      showExpressionError(answer.error);
      markResultStale();
      return;
    }
    state.parsed = answer.ok;
    hideError();
    setStatus(describeShape(answer.ok.shape));
    renderVariables(answer.ok.variables || []);
    updateOrderChoice(answer.ok.shape);
    derive();
  }

  function describeShape(shape) {
    if (!shape) return "";
    return shape === "scalar" ? "a scalar expression" : "an expression of shape " + shape;
  }

  function setStatus(text) { el.status.textContent = text; }

  /** A Hessian is asked only of a scalar expression. */
  function updateOrderChoice(shape) {
    const hessian = el.order.querySelector('option[value="2"]');
    const scalar = shape === "scalar";
    hessian.disabled = !scalar;
    hessian.textContent = scalar ? "Hessian" : "Hessian (of a scalar only)";
    if (!scalar && el.order.value === "2") el.order.value = "1";
  }

  // ---- errors with a caret ---------------------------------------------------------------

  function cleanMessage(message) {
    // The engine prefixes "line:column: "; the caret shows the place already.
    return String(message || "error").replace(/^\d+:\d+:\s*/, "");
  }

  function showExpressionError(error) {
    const lines = el.expr.value.split("\n");
    const line = error.line || 0, column = error.column || 0;
    if (line >= 1 && line <= lines.length && column >= 1) {
      const text = lines[line - 1];
      el.caret.textContent = text + "\n" + " ".repeat(Math.min(column - 1, text.length)) + "^";
      el.caret.hidden = false;
      el.errorMessage.textContent = "Column " + column + (lines.length > 1 ? " of line " + line : "")
        + ": " + cleanMessage(error.message);
    } else {
      el.caret.textContent = "";
      el.caret.hidden = true;
      el.errorMessage.textContent = cleanMessage(error.message);
    }
    el.error.hidden = false;
    el.expr.setAttribute("aria-invalid", "true");
  }

  function hideError() {
    el.error.hidden = true;
    el.caret.textContent = "";
    el.errorMessage.textContent = "";
    el.expr.removeAttribute("aria-invalid");
  }

  // ---- the variables table ---------------------------------------------------------------

  /** "matrix(n,m)" -> {base: "matrix", sizes: ["n", "m"]}; "matrix(n)" is square. */
  function splitKind(kind) {
    const m = /^\s*(?:const\s+)?([a-z]+)\s*(?:\((.*)\))?\s*$/.exec(kind || "");
    if (!m) return { base: "matrix", sizes: [] };
    const sizes = m[2] ? m[2].split(",").map((s) => s.trim()).filter(Boolean) : [];
    if (m[1] === "matrix" && sizes.length === 1) sizes.push(sizes[0]);
    return { base: m[1], sizes };
  }

  function joinKind(base, sizes) {
    const n = KIND_SIZES.has(base) ? KIND_SIZES.get(base) : sizes.length;
    return n === 0 ? base : base + "(" + sizes.slice(0, n).join(",") + ")";
  }

  function renderVariables(vars) {
    const body = el.variables;
    const byName = new Map([...body.rows].map((r) => [r.dataset.name, r]));
    const wanted = vars.map((v) => v.name);
    for (const [name, row] of byName) if (!wanted.includes(name)) row.remove();
    vars.forEach((v, i) => {
      let row = byName.get(v.name);
      if (!row) row = makeVariableRow(v.name);
      if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] || null);
      fillVariableRow(row, v);
    });
    el.noVariables.hidden = vars.length > 0;
    $("variables").hidden = vars.length === 0;
    renderWrt(vars);
  }

  function makeVariableRow(name) {
    const row = document.createElement("tr");
    row.dataset.name = name;
    const nameCell = document.createElement("th");
    nameCell.scope = "row";
    const code = document.createElement("code");
    code.textContent = name;
    nameCell.append(code);

    const kindCell = document.createElement("td");
    const select = document.createElement("select");
    select.id = "kind-" + name;
    select.className = "kind";
    select.setAttribute("aria-label", "kind of " + name);
    for (const [k] of KINDS) select.add(new Option(k, k));
    select.addEventListener("change", () => declareFromRow(row, true));
    kindCell.append(select);

    const sizeCell = document.createElement("td");
    sizeCell.className = "sizes";
    for (let i = 1; i <= 2; i++) {
      const input = document.createElement("input");
      input.type = "text";
      input.id = "size-" + name + "-" + i;
      input.className = "size";
      input.spellcheck = false;
      input.setAttribute("aria-label", (i === 1 ? "rows" : "columns") + " of " + name);
      input.addEventListener("input", () => declareFromRow(row, false));
      sizeCell.append(input);
      if (i === 1) {
        const times = document.createElement("span");
        times.className = "times";
        times.textContent = "×";
        times.setAttribute("aria-hidden", "true");
        sizeCell.append(times);
      }
    }

    const statusCell = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = "badge";
    const reset = document.createElement("button");
    reset.type = "button";
    reset.className = "reset";
    reset.textContent = "↺";
    reset.title = "forget this declaration";
    reset.setAttribute("aria-label", "forget the declaration of " + name);
    reset.addEventListener("click", () => {
      delete state.decls[name];
      runParse();
    });
    statusCell.append(badge, reset);

    row.append(nameCell, kindCell, sizeCell, statusCell);
    return row;
  }

  function fillVariableRow(row, v) {
    const name = v.name;
    const declared = Object.prototype.hasOwnProperty.call(state.decls, name);
    const { base, sizes } = splitKind(declared ? state.decls[name] : v.kind);
    const select = row.querySelector("select.kind");
    const inputs = row.querySelectorAll("input.size");
    if (![...select.options].some((o) => o.value === base)) select.add(new Option(base, base));
    if (document.activeElement !== select) select.value = base;
    const count = KIND_SIZES.has(base) ? KIND_SIZES.get(base) : sizes.length;
    inputs.forEach((input, i) => {
      input.hidden = i >= count;
      if (document.activeElement !== input) {
        input.value = sizes[i] || "";
        input.removeAttribute("aria-invalid");
      }
    });
    row.querySelector(".times").hidden = count < 2;
    const badge = row.querySelector(".badge");
    // "from use": the kind its use requires, not its first letter (docs/language.md, "Kinds from use")
    badge.textContent = declared ? "declared" : v.inferred ? "from use" : "inferred";
    badge.title = !declared && v.inferred ? "its first letter says otherwise; its use in the expression decides" : "";
    badge.classList.toggle("declared", declared);
    row.querySelector(".reset").hidden = !declared;
  }

  let declTimer = 0;
  function declareFromRow(row, now) {
    const name = row.dataset.name;
    const base = row.querySelector("select.kind").value;
    const inputs = [...row.querySelectorAll("input.size")];
    const n = KIND_SIZES.get(base);
    const sizes = [];
    let valid = true;
    for (let i = 0; i < n; i++) {
      // A kind that needs more sizes than are filled in reuses the first: square by default.
      const raw = inputs[i].value.trim() || (i > 0 ? inputs[0].value.trim() : "") || "n";
      const ok = SIZE_PATTERN.test(raw);
      inputs[i].toggleAttribute("aria-invalid", !ok);
      valid = valid && ok;
      sizes.push(raw);
    }
    inputs.forEach((input, i) => { input.hidden = i >= n; });
    row.querySelector(".times").hidden = n < 2;
    if (!valid) return;
    state.decls[name] = joinKind(base, sizes);
    clearTimeout(declTimer);
    declTimer = setTimeout(runParse, now ? 0 : PARSE_DELAY_MS);
  }

  function renderWrt(vars) {
    const previous = el.wrt.value;
    const names = vars.map((v) => v.name);
    el.wrt.replaceChildren(...vars.map((v) => new Option(v.name, v.name)));
    if (state.preferredWrt && names.includes(state.preferredWrt)) {
      el.wrt.value = state.preferredWrt;
      state.preferredWrt = null;
    } else if (names.includes(previous)) {
      el.wrt.value = previous;
    }
    el.wrt.disabled = names.length === 0;
  }

  // ---- deriving -------------------------------------------------------------------------

  function deriveRequest() {
    return {
      expression: el.expr.value,
      variables: activeDecls(),
      wrt: el.wrt.value,
      order: Number(el.order.value),
      layout: el.layout.value,
      steps: true,
      check: true,
    };
  }

  async function derive(force) {
    if (!state.parsed || !el.wrt.value) return;
    const request = deriveRequest();
    const key = JSON.stringify(request);
    if (!force && key === state.lastDeriveKey) {
      el.result.classList.remove("stale"); // back to the text that gave the result shown
      return;
    }
    state.lastDeriveKey = key;
    const seq = ++state.deriveSeq;
    el.resultCard.setAttribute("aria-busy", "true");
    el.resultCard.classList.add("busy");
    const answer = await post("/api/derive", request);
    if (seq !== state.deriveSeq) return;
    el.resultCard.setAttribute("aria-busy", "false");
    el.resultCard.classList.remove("busy");
    if (answer.error) {
      state.lastDeriveKey = null;
      if (answer.error.line && answer.error.column) {
        showExpressionError(answer.error);
        markResultStale();
      } else {
        el.deriveError.textContent = cleanMessage(answer.error.message);
        el.deriveError.hidden = false;
        markResultStale();
      }
      return;
    }
    el.deriveError.hidden = true;
    renderResult(request, answer.ok);
    updateLink(request);
  }

  /** LaTeX for a variable name: W1 -> W_{1}, beta -> \mathit{beta}. */
  function nameLatex(name) {
    const m = /^([A-Za-z]+)_?([0-9]+)$/.exec(name);
    if (m) return nameLatex(m[1]) + "_{" + m[2] + "}";
    return name.length === 1 ? name : "\\mathit{" + name.replace(/_/g, "\\_") + "}";
  }

  function derivativeLatex(request, shape) {
    const f = shape && shape !== "scalar" ? "F" : "f";
    const x = nameLatex(request.wrt);
    const lhs = request.order === 2
      ? "\\frac{\\partial^{2} " + f + "}{\\partial " + x + "^{2}}"
      : "\\frac{\\partial " + f + "}{\\partial " + x + "}";
    return lhs;
  }

  const TEXT_ESCAPES = { "^": "\\textasciicircum{}", "~": "\\textasciitilde{}", "_": "\\_",
                         "#": "\\#", "%": "\\%", "&": "\\&", "$": "\\$" };

  /**
   * Escapes the characters that are special in math but not allowed bare in text mode inside
   * each \text{...} group: the rule names in the steps quote formulas such as "d norm2(A)^2".
   */
  function textSafe(latex) {
    let out = "", i = 0;
    const open = /\\text(?:bf|it|rm|sf|tt)?\{/g;
    let m;
    while ((m = open.exec(latex)) !== null) {
      out += latex.slice(i, m.index + m[0].length);
      let j = m.index + m[0].length, depth = 1;
      for (; j < latex.length && depth > 0; j++) {
        const c = latex[j];
        if (c === "\\") { out += c + (latex[j + 1] || ""); j++; continue; }
        if (c === "{") depth++;
        if (c === "}" && --depth === 0) break;
        out += TEXT_ESCAPES[c] || c;
      }
      out += latex.slice(j, j + 1);
      i = j + 1;
      open.lastIndex = i;
    }
    return out + latex.slice(i);
  }

  function renderMath(latex, target, fallbackText) {
    if (window.katex) {
      try {
        window.katex.render(textSafe(latex), target, { throwOnError: false, displayMode: true });
        return;
      } catch (e) { /* fall through to text */ }
    }
    const pre = document.createElement("pre");
    pre.textContent = fallbackText;
    target.replaceChildren(pre);
  }

  function renderResult(request, r) {
    state.result = { request, answer: r };
    const exprShape = state.parsed ? state.parsed.shape : "scalar";
    const lhs = derivativeLatex(request, exprShape);
    renderMath(lhs + " = " + r.latex, el.resultMath, "d/d" + request.wrt + " = " + r.derivative);
    el.resultText.textContent = r.derivative;
    el.resultShape.textContent = "Shape " + r.shape + (r.description ? " — " + r.description : "");
    el.resultConvention.hidden = !r.convention;
    el.resultConvention.textContent = r.convention ? "Convention: " + r.convention : "";
    renderCheck(r.check);
    if (r.stepsLatex) {
      renderSteps(r.stepsLatex, r.steps || "");
    } else {
      const pre = document.createElement("pre");
      pre.textContent = r.steps || "no derivation available";
      el.steps.replaceChildren(pre);
    }
    el.stepsText.textContent = r.steps || "";
    el.result.hidden = false;
    el.result.classList.remove("stale");
    el.resultEmpty.hidden = true;
    el.copyStatus.textContent = "";
    markCurrentExample(request);
    state.code = null;
    if (el.codeBox.open) loadCode();
    // One short sentence for screen readers, not the whole card.
    $("result-announce").textContent = "d/d" + request.wrt + " = " + r.derivative
      + (r.check ? (r.check.passed ? ", verified numerically" : ", numerical check failed") : "");
  }

  function markCurrentExample(request) {
    for (const button of el.gallery.querySelectorAll("button.example")) {
      const current = button.dataset.expr === request.expression && button.dataset.wrt === request.wrt
        && button.dataset.order === String(request.order);
      button.setAttribute("aria-pressed", String(current));
    }
  }

  /**
   * The steps come as one aligned block, "lhs &= rhs && \\text{rule}" per line, with
   * "&\\textbf{heading}" lines between the stages. Laid out as one row per step, the rule as
   * ordinary text beside the formula, it wraps to the card instead of running off its edge.
   * Anything else is rendered whole.
   */
  /** A rule's words back from LaTeX's text mode (Step.textMode on the server escapes them) to plain text. */
  function plainText(tex) {
    return tex.replace(/\\textasciicircum\{\}/g, "^").replace(/\\textasciitilde\{\}/g, "~")
      .replace(/\\textbackslash\{\}/g, "\\").replace(/\\(.)/g, "$1");
  }

  function renderSteps(latex, text) {
    const lines = latex.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    const rows = [];
    for (const line of lines) {
      if (line === "\\begin{aligned}" || line === "\\end{aligned}") continue;
      const body = line.replace(/\\\\$/, "").trim();
      let m = /^&\\textbf\{(.*)\}$/.exec(body);
      if (m) { rows.push({ heading: m[1] }); continue; }
      m = /^(.*?)\s*&=\s*(.*?)(?:\s*&&\s*\\text\{(.*)\})?$/.exec(body);
      if (!m) { rows.length = 0; break; }
      rows.push({ math: m[1] + " = " + m[2], rule: m[3] });
    }
    if (rows.length === 0 || !window.katex) {
      renderMath(latex, el.steps, text);
      return;
    }
    const parts = rows.map((row) => {
      if (row.heading !== undefined) {
        const h = document.createElement("h3");
        h.className = "step-heading";
        h.textContent = plainText(row.heading);
        return h;
      }
      const div = document.createElement("div");
      div.className = "step";
      const math = document.createElement("div");
      math.className = "step-math";
      renderMath(row.math, math, row.math);
      div.append(math);
      if (row.rule) {
        const rule = document.createElement("div");
        rule.className = "step-rule";
        rule.textContent = plainText(row.rule);
        div.append(rule);
      }
      return div;
    });
    el.steps.replaceChildren(...parts);
  }

  function formatError(x) {
    if (typeof x !== "number" || !isFinite(x)) return String(x);
    if (x === 0) return "0";
    return x.toExponential(1).replace(/\.0e/, "e").replace("e+", "e");
  }

  function renderCheck(check) {
    el.check.className = "check";
    if (!check) {
      el.check.textContent = "not checked numerically";
      el.check.classList.add("unchecked");
      return;
    }
    const err = formatError(check.relativeError);
    if (check.passed) {
      el.check.textContent = "✓ verified numerically: relative error " + err + " at random inputs";
      el.check.classList.add("passed");
    } else {
      el.check.textContent = "✗ numerical check failed: relative error " + err + " at random inputs";
      el.check.classList.add("failed");
    }
    if (typeof check.relativeErrorAgainstAD === "number") {
      const small = document.createElement("span");
      small.className = "check-detail";
      small.textContent = " · " + formatError(check.relativeErrorAgainstAD) + " against automatic differentiation";
      el.check.append(small);
    }
    el.check.title = check.summary || check.method || "";
  }

  function markResultStale() {
    if (!el.result.hidden) el.result.classList.add("stale");
  }

  function clearResult() {
    state.result = null;
    state.lastDeriveKey = null;
    el.result.hidden = true;
    el.resultEmpty.hidden = false;
    el.deriveError.hidden = true;
  }

  // ---- copy and links --------------------------------------------------------------------

  async function copy(text, what) {
    let done = false;
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); done = true; } catch (e) { /* fallback below */ }
    }
    if (!done) {
      // Older browsers and plain-http hosts other than localhost: the selection route.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.append(area);
      area.select();
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      area.remove();
    }
    el.copyStatus.textContent = done ? "Copied " + what + "." : "Copying failed: select the text by hand.";
    clearTimeout(copy.timer);
    copy.timer = setTimeout(() => { el.copyStatus.textContent = ""; }, 3000);
  }

  // ---- code for the result (the same request with "code": numpy, torch or java) ----------

  const CODE_FILES = { numpy: "matcalc_f.py", torch: "matcalc_f.py", java: "Generated.java" };

  async function loadCode() {
    if (!state.result) return;
    const lang = el.codeLang.value;
    const request = Object.assign({}, state.result.request, { steps: false, check: false, code: lang });
    const key = JSON.stringify(request);
    if (state.code && state.code.key === key) return;
    el.codeText.textContent = "writing " + el.codeLang.selectedOptions[0].text + " code...";
    const answer = await post("/api/derive", request);
    if (JSON.stringify(Object.assign({}, state.result.request, { steps: false, check: false, code: el.codeLang.value })) !== key) return;
    if (answer.error) {
      state.code = null;
      el.codeText.textContent = "No code: " + cleanMessage(answer.error.message);
      return;
    }
    state.code = { key, lang, text: answer.ok.code };
    el.codeText.textContent = answer.ok.code;
  }

  function downloadCode() {
    if (!state.code) return;
    const blob = new Blob([state.code.text], { type: "text/plain" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = CODE_FILES[state.code.lang];
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function linkFor(request) {
    const p = new URLSearchParams();
    p.set("expr", request.expression);
    p.set("wrt", request.wrt);
    if (request.order !== 1) p.set("order", String(request.order));
    if (request.layout !== "mixed") p.set("layout", request.layout);
    for (const [name, kind] of Object.entries(request.variables)) p.append("decl", name + ":" + kind);
    return location.pathname + "?" + p.toString();
  }

  function updateLink(request) {
    try { history.replaceState(null, "", linkFor(request)); } catch (e) { /* file:// or sandboxed */ }
  }

  function loadFromLink() {
    const p = new URLSearchParams(location.search);
    if (!p.has("expr")) return false;
    el.expr.value = p.get("expr");
    state.preferredWrt = p.get("wrt");
    if (p.get("order") === "2") el.order.value = "2";
    if (["mixed", "numerator", "denominator"].includes(p.get("layout"))) el.layout.value = p.get("layout");
    for (const d of p.getAll("decl")) {
      const i = d.indexOf(":");
      if (i > 0) state.decls[d.slice(0, i).trim()] = d.slice(i + 1).trim();
    }
    return true;
  }

  // ---- the gallery -----------------------------------------------------------------------

  function renderGallery() {
    for (const ex of GALLERY) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.id = "example-" + ex.id;
      button.dataset.expr = ex.expr;
      button.dataset.wrt = ex.wrt;
      button.dataset.order = String(ex.order || 1);
      const title = document.createElement("span");
      title.className = "example-title";
      title.textContent = ex.title;
      const code = document.createElement("code");
      code.textContent = ex.expr;
      const by = document.createElement("span");
      by.className = "example-by";
      const decls = Object.entries(ex.decls || {}).map(([n, k]) => n + ": " + k);
      by.textContent = (ex.order === 2 ? "Hessian by " : "by ") + ex.wrt + (decls.length ? "; " + decls.join(", ") : "");
      button.append(title, code, by);
      button.addEventListener("click", () => useExample(ex));
      li.append(button);
      el.gallery.append(li);
    }
  }

  function useExample(ex) {
    el.expr.value = ex.expr;
    state.decls = Object.assign({}, ex.decls || {});
    state.preferredWrt = ex.wrt;
    el.order.value = String(ex.order || 1);
    hideError();
    runParse();
    const top = el.resultCard.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight) $("input-card").scrollIntoView({ behavior: "smooth" });
  }

  // ---- wiring ----------------------------------------------------------------------------

  el.expr.addEventListener("input", scheduleParse);
  el.form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await runParse();
    derive(true);
  });
  for (const select of [el.wrt, el.order, el.layout]) select.addEventListener("change", () => derive());
  $("copy-text").addEventListener("click", () => {
    if (state.result) copy(state.result.answer.derivative, "the formula");
  });
  $("copy-latex").addEventListener("click", () => {
    if (state.result) copy(state.result.answer.latex, "the LaTeX");
  });
  el.codeBox.addEventListener("toggle", () => { if (el.codeBox.open) loadCode(); });
  el.codeLang.addEventListener("change", loadCode);
  $("copy-code").addEventListener("click", () => {
    if (state.code) copy(state.code.text, "the " + el.codeLang.selectedOptions[0].text + " code");
  });
  $("download-code").addEventListener("click", downloadCode);
  $("copy-link").addEventListener("click", () => {
    if (state.result) copy(new URL(linkFor(state.result.request), location.href).href, "a link to this result");
  });

  renderGallery();
  if (!loadFromLink()) {
    el.expr.value = GALLERY[0].expr;
    state.preferredWrt = GALLERY[0].wrt;
  }
  runParse();
})();
