// The page of `kpisim serve`: every number it shows is an answer of the
// API (api/scenario, api/run, api/view); nothing is computed here but the
// formatting. The headline table and the fan charts come drawn by the
// report's own renderers (api/view), for the run just answered.
'use strict';

(function () {
  // Quick answers while a slider moves: about ±0.2 pp, fast enough to
  // arrive within a few hundred milliseconds.
  const PREVIEW = 50000;
  const METRICS = ['revenue', 'profit', 'both'];
  const token = new URLSearchParams(window.location.search).get('token');
  const headers = { 'Content-Type': 'application/json' };
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  let info = null;
  let seq = 0;
  let timer = null;
  const byId = (id) => document.getElementById(id);

  async function api(path, body) {
    const init = body === undefined
      ? { headers }
      : { method: 'POST', headers, body: JSON.stringify(body) };
    const res = await fetch(path, init);
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = { error: 'the server answered ' + res.status + ' without JSON' };
    }
    return { status: res.status, data };
  }

  const pct = (p) => (100 * p).toFixed(1) + '%';
  const pp = (se) => (100 * se).toFixed(2) + ' pp';
  const thousands = (n) => n.toLocaleString('en-US');

  function settings() {
    const scale = {};
    for (const input of document.querySelectorAll('input[type="range"][data-path]')) {
      const v = Number(input.value);
      if (v !== 1) {
        scale[input.dataset.path] = v;
      }
    }
    const chosen = document.querySelector('input[data-case]:checked');
    return { scale, case: chosen ? chosen.dataset.case : null };
  }

  function show(run, kind) {
    for (const m of METRICS) {
      document.querySelector('[data-metric="' + m + '"]').textContent = pct(run.probability[m]);
    }
    const head = byId('headline');
    head.dataset.state = kind;
    head.dataset.trials = String(run.trials);
    const se = pp(run.standard_error.both);
    byId('status').textContent = kind === 'preview'
      ? 'Preview: ' + thousands(run.trials) + ' trials, standard error of P(both) ' + se + '; the full run follows…'
      : thousands(run.trials) + ' trials, seed ' + run.seed + ', standard error of P(both) ' + se + '.';
    byId('error').hidden = true;
  }

  // The report's headline table and fan charts of the run `body` asked
  // for; the server draws them from that run, without running it again.
  async function draw(body, kind, stale) {
    const v = await api('api/view', body);
    if (stale(v)) return;
    if (v.status !== 200) return fail(v);
    byId('plan').innerHTML = v.data.plan;
    byId('fans').innerHTML = v.data['fan-revenue'] + v.data['fan-profit'];
    byId('fans').dataset.state = kind;
  }

  function fail(answer) {
    const e = byId('error');
    e.textContent = (answer.data && answer.data.error) || 'the server answered ' + answer.status;
    e.hidden = false;
    byId('headline').dataset.state = 'error';
    byId('status').textContent = '';
  }

  function tomlString(s) {
    // A JSON string is a TOML basic string: the same escapes.
    return JSON.stringify(s);
  }

  function caseToml(s) {
    const pairs = Object.entries(s.scale).map(([p, f]) => tomlString(p) + ' = ' + String(f));
    const lines = [];
    if (s.case) {
      lines.push('# On top of the case ' + tomlString(s.case) + ': merge its set, scale and shocks here.');
    }
    lines.push('[[stress]]');
    lines.push('name = ' + tomlString(s.case ? s.case + ', adjusted' : 'adjusted'));
    lines.push('scale = { ' + pairs.join(', ') + (pairs.length ? ' ' : '') + '}');
    return lines.join('\n') + '\n';
  }

  async function update() {
    const my = ++seq;
    const s = settings();
    byId('case-toml').textContent = caseToml(s);
    // 409: a newer request took over; its answer will show.
    const stale = (a) => my !== seq || a.status === 409;
    if (info.trials > PREVIEW) {
      byId('status').textContent = 'Running a preview…';
      const preview = { scale: s.scale, case: s.case, trials: PREVIEW, seed: null };
      const p = await api('api/run', preview);
      if (stale(p)) return;
      if (p.status !== 200) return fail(p);
      show(p.data, 'preview');
      await draw(preview, 'preview', stale);
      if (my !== seq) return;
    }
    const full = { scale: s.scale, case: s.case, trials: null, seed: null };
    const f = await api('api/run', full);
    if (stale(f)) return;
    if (f.status !== 200) return fail(f);
    show(f.data, 'full');
    await draw(full, 'full', stale);
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 40);
  }

  function build() {
    byId('title').textContent = info.scenario;
    byId('origin').textContent = thousands(info.trials) + ' trials a run, seed ' + info.seed +
      ', scenario SHA-256 ' + info.scenario_sha256.slice(0, 12) + '…';
    const list = byId('control-list');
    for (const c of info.controls) {
      const row = document.createElement('div');
      row.className = 'control';
      const id = 'c-' + c.path.replace(/[^A-Za-z0-9_-]/g, '-');
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = c.path + (c.kind === 'schedule' ? ' (schedule)' : '');
      const input = document.createElement('input');
      input.type = 'range';
      input.id = id;
      input.min = String(c.min);
      input.max = String(c.max);
      input.step = '0.01';
      input.value = '1';
      input.dataset.path = c.path;
      const out = document.createElement('output');
      out.htmlFor = id;
      out.textContent = '×1.00';
      const moved = () => {
        out.textContent = '×' + Number(input.value).toFixed(2);
        soon();
      };
      input.addEventListener('input', moved);
      input.addEventListener('change', moved);
      row.append(label, input, out);
      list.append(row);
    }
    const cases = byId('case-list');
    if (info.cases.length === 0) {
      cases.textContent = 'This scenario has no [[stress]] cases.';
    }
    for (const name of info.cases) {
      const label = document.createElement('label');
      label.className = 'case';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.dataset.case = name;
      box.addEventListener('change', () => {
        if (box.checked) {
          for (const other of document.querySelectorAll('input[data-case]')) {
            if (other !== box) other.checked = false;
          }
        }
        soon();
      });
      label.append(box, ' ' + name);
      cases.append(label);
    }
    byId('reset').addEventListener('click', () => {
      for (const input of document.querySelectorAll('input[data-path]')) {
        input.value = '1';
        input.dispatchEvent(new Event('input'));
      }
      for (const box of document.querySelectorAll('input[data-case]')) box.checked = false;
      soon();
    });
    byId('copy-case').addEventListener('click', async () => {
      const text = byId('case-toml').textContent;
      try {
        await navigator.clipboard.writeText(text);
        byId('status').textContent = 'Copied the stress case.';
      } catch (e) {
        // Without a secure context there is no clipboard: select it.
        window.getSelection().selectAllChildren(byId('case-toml'));
      }
    });
  }

  async function start() {
    const a = await api('api/scenario');
    if (a.status !== 200) return fail(a);
    info = a.data;
    build();
    update();
  }

  start();
})();
