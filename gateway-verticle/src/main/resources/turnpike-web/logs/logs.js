// Turnpike request log page: plain JS, no framework, no build step, nothing fetched from anywhere but this node.
// Everything the API returns is data a client or an upstream chose (models, session ids, content), so it only ever
// reaches the page as text nodes and attribute values: no innerHTML anywhere.
'use strict';

(function () {
  const TOKEN_KEY = 'turnpike.adminToken'; // sessionStorage: this tab only, gone when it closes
  const HIDDEN_KEY = 'turnpike.logs.hiddenColumns'; // localStorage: a layout preference, no secret
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const FILTER_DEBOUNCE_MS = 400;
  const VIEW_REFRESH_DEBOUNCE_MS = 1500;

  // ---------- small DOM helpers ----------

  /** An element; string and number children become text nodes, so nothing is ever parsed as markup. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    applyProps(node, props);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function applyProps(node, props) {
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = String(value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  const $ = (id) => document.getElementById(id);

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---------- formatting ----------

  const intFormat = new Intl.NumberFormat('en-US');
  const fmtInt = (n) => (n === null || n === undefined ? '' : intFormat.format(n));

  function fmtMs(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 10) return ms.toFixed(1) + ' ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    return (ms / 1000).toFixed(2) + ' s';
  }

  function fmtUsd(usd) {
    if (usd === null || usd === undefined) return '';
    if (usd === 0) return '$0';
    if (Math.abs(usd) >= 1) return '$' + usd.toFixed(2);
    if (Math.abs(usd) >= 0.01) return '$' + usd.toFixed(4);
    return '$' + usd.toFixed(6);
  }

  function pad2(n) {
    return String(n).padStart(2, '0');
  }

  function fmtTime(epochMs) {
    const d = new Date(epochMs);
    const now = new Date();
    const time = pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
    if (d.toDateString() === now.toDateString()) return time;
    return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + time;
  }

  /** A long id (a session's UUID) shortened to its first characters; a short name stays whole. */
  function shortId(text, keep) {
    if (!text) return '';
    return text.length > keep + 6 ? text.slice(0, keep) + '…' : text;
  }

  // ---------- state ----------

  const state = {
    view: 'requests',
    filters: {}, // API parameter -> value, only non-empty ones
    sort: 'time',
    order: 'desc',
    limit: 50,
    offset: 0,
    rows: [],
    total: 0,
    pendingNew: 0,
    selectedId: null,
    hidden: loadHidden(),
    live: true,
  };

  // ---------- columns ----------

  const STATUS_OPTIONS = [['', 'any'], ['2xx', '2xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['200', '200'],
    ['400', '400'], ['401', '401'], ['403', '403'], ['404', '404'], ['429', '429'], ['500', '500'], ['502', '502'],
    ['503', '503'], ['504', '504'], ['529', '529']];
  const STREAM_OPTIONS = [['', 'any'], ['true', 'yes'], ['false', 'no']];

  function dim(text) {
    return el('span', { class: 'dim', text });
  }

  function textCell(field, keep) {
    return (e) => {
      const value = e[field];
      if (value === null || value === undefined || value === '') return dim('—');
      return keep ? el('span', { class: 'mono', title: value, text: shortId(value, keep) }) : String(value);
    };
  }

  /** What the table can show; {@code filter} says which API parameter(s) its filter cell sets. */
  const COLUMNS = [
    { id: 'time', label: 'Time', sort: 'time', render: (e) => el('span', { title: new Date(e.time).toISOString(), text: fmtTime(e.time) }) },
    { id: 'node', label: 'Node', filter: { type: 'text', param: 'node' }, render: textCell('node'), hidden: true },
    { id: 'virtual_key', label: 'Key', filter: { type: 'text', param: 'virtual_key' }, render: textCell('virtual_key') },
    { id: 'team', label: 'Team', filter: { type: 'text', param: 'team' }, render: textCell('team') },
    { id: 'customer', label: 'Customer', filter: { type: 'text', param: 'customer' }, render: textCell('customer'), hidden: true },
    { id: 'session_id', label: 'Session', filter: { type: 'text', param: 'session_id' }, render: textCell('session_id', 8) },
    { id: 'model', label: 'Model (requested → served)', filter: { type: 'text', param: 'model' }, render: renderModel },
    { id: 'provider', label: 'Provider', filter: { type: 'text', param: 'provider' }, render: textCell('provider') },
    { id: 'rule', label: 'Rule', filter: { type: 'text', param: 'rule' }, render: textCell('rule') },
    { id: 'attempts', label: 'Att.', num: true, render: (e) => (e.attempts > 1 ? el('strong', { text: e.attempts }) : String(e.attempts)) },
    { id: 'status', label: 'Status', sort: 'status', filter: { type: 'select', param: 'status', options: STATUS_OPTIONS }, render: renderStatus },
    { id: 'error_type', label: 'Error', filter: { type: 'text', param: 'error_type', title: 'a failure code such as rate_limited or upstream_timeout; none for successes' }, render: renderError },
    { id: 'latency_ms', label: 'Latency', num: true, sort: 'latency', filter: { type: 'range', min: 'min_latency_ms', max: 'max_latency_ms', unit: 'milliseconds' }, render: (e) => fmtMs(e.latency_ms) },
    { id: 'ttft_ms', label: 'TTFT', num: true, sort: 'ttft', render: (e) => (e.ttft_ms === null || e.ttft_ms === undefined ? dim('—') : fmtMs(e.ttft_ms)) },
    { id: 'tokens', label: 'Tokens in / out', num: true, sort: 'tokens', filter: { type: 'range', min: 'min_tokens', max: 'max_tokens', unit: 'input + output tokens' }, render: (e) => fmtInt(e.input_tokens) + ' / ' + fmtInt(e.output_tokens) },
    { id: 'cache', label: 'Cache r / w', num: true, render: (e) => (e.cache_read_tokens || e.cache_write_tokens ? fmtInt(e.cache_read_tokens) + ' / ' + fmtInt(e.cache_write_tokens) : dim('—')) },
    { id: 'cost_usd', label: 'Cost', num: true, sort: 'cost', filter: { type: 'range', min: 'min_cost', max: 'max_cost', unit: 'USD' }, render: (e) => fmtUsd(e.cost_usd) },
    { id: 'stream', label: 'Stream', filter: { type: 'select', param: 'stream', options: STREAM_OPTIONS }, render: (e) => (e.stream ? 'yes' : dim('no')) },
    { id: 'agent_id', label: 'Agent', filter: { type: 'text', param: 'agent_id' }, render: textCell('agent_id', 10), hidden: true },
    { id: 'request_class', label: 'Class', filter: { type: 'text', param: 'request_class' }, render: textCell('request_class'), hidden: true },
    { id: 'client_version', label: 'Client', render: textCell('client_version'), hidden: true },
  ];

  function renderModel(e) {
    const requested = e.requested_model || '';
    const served = e.model ? (e.provider ? e.provider + '/' + e.model : e.model) : '';
    if (!served || served === requested || e.model === requested) return el('span', { class: 'mono', text: requested || served });
    return el('span', { class: 'mono' }, requested, el('span', { class: 'arrow-model', text: '→' }), served);
  }

  function renderStatus(e) {
    const klass = e.status >= 500 ? 's5' : e.status >= 400 ? 's4' : 's2';
    return el('span', { class: 'pill ' + klass, text: e.status });
  }

  function renderError(e) {
    if (!e.error_type) return dim('—');
    return el('span', { class: 'err-text', title: e.error_message || '', text: e.error_type });
  }

  function loadHidden() {
    try {
      const saved = JSON.parse(localStorage.getItem(HIDDEN_KEY));
      if (Array.isArray(saved)) return new Set(saved.filter((id) => typeof id === 'string'));
    } catch (ignored) {
      // unreadable preference: fall back to the defaults
    }
    return null; // defaults, filled in once the columns are known
  }

  function visibleColumns() {
    return COLUMNS.filter((c) => !state.hidden.has(c.id));
  }

  // ---------- the admin token ----------

  let tokenPrompt = null; // one pending prompt shared by every call that met a 401

  function adminToken() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function authHeaders() {
    const token = adminToken();
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  /** Shows the token form and resolves once a token was entered; every 401 waits on the same prompt. */
  function askForToken() {
    if (tokenPrompt) return tokenPrompt;
    const refused = adminToken() !== null;
    if (refused) sessionStorage.removeItem(TOKEN_KEY);
    setLiveState('locked');
    $('token-error').hidden = !refused;
    $('token-dialog').hidden = false;
    $('token-input').value = '';
    $('token-input').focus();
    tokenPrompt = new Promise((resolve) => {
      const form = $('token-form');
      form.addEventListener('submit', function onSubmit(event) {
        event.preventDefault();
        const token = $('token-input').value.trim();
        if (!token) return;
        form.removeEventListener('submit', onSubmit);
        sessionStorage.setItem(TOKEN_KEY, token);
        $('token-input').value = '';
        $('token-dialog').hidden = true;
        tokenPrompt = null;
        resolve();
      });
    });
    return tokenPrompt;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** GET of a JSON API path; on 401 asks for the token and tries again. */
  async function api(path, params) {
    const query = new URLSearchParams(params || {}).toString();
    const url = path + (query ? '?' + query : '');
    for (;;) {
      let response;
      try {
        response = await fetch(url, { headers: Object.assign({ Accept: 'application/json' }, authHeaders()), cache: 'no-store' });
      } catch (networkError) {
        throw new ApiError(0, 'Cannot reach the Turnpike node (' + networkError.message + ')');
      }
      if (response.status === 401) {
        await askForToken();
        continue;
      }
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const message = body && body.error && body.error.message ? body.error.message : 'HTTP ' + response.status;
        throw new ApiError(response.status, message);
      }
      return body;
    }
  }

  function showError(error) {
    const banner = $('error-banner');
    if (!error) {
      banner.hidden = true;
      banner.textContent = '';
      return;
    }
    banner.textContent = error.message || String(error);
    banner.hidden = false;
  }

  function showNodes(nodes) {
    const target = $('nodes-state');
    if (!nodes) {
      target.textContent = '';
      return;
    }
    const missing = Array.isArray(nodes.missing) ? nodes.missing : [];
    target.textContent = nodes.answered + '/' + nodes.asked + ' nodes' + (missing.length ? ' · missing ' + missing.join(', ') : '');
    target.title = missing.length ? 'Some nodes did not answer: their requests are missing from this view' : 'Every node answered';
    target.classList.toggle('partial', missing.length > 0);
  }

  // ---------- filters ----------

  /** The API parameters every view shares: the filters, without paging or sort. */
  function filterParams() {
    return Object.assign({}, state.filters);
  }

  function readFilters() {
    const filters = {};
    document.querySelectorAll('[data-param]').forEach((input) => {
      let value = input.value.trim();
      if (!value) return;
      if (input.type === 'datetime-local') {
        const epoch = new Date(value).getTime();
        if (Number.isNaN(epoch)) return;
        value = String(epoch);
      }
      filters[input.dataset.param] = value;
    });
    return filters;
  }

  let filterTimer = null;

  function filtersChanged(immediately) {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilters, immediately ? 0 : FILTER_DEBOUNCE_MS);
  }

  function applyFilters() {
    const next = readFilters();
    if (JSON.stringify(next) === JSON.stringify(state.filters)) return;
    state.filters = next;
    state.offset = 0;
    updateFilterSummary();
    stream.restart();
    refreshView();
  }

  function updateFilterSummary() {
    const count = Object.keys(state.filters).length;
    $('filter-summary').textContent = count ? count + (count === 1 ? ' filter' : ' filters') + ' active' : '';
    $('filters-clear').disabled = count === 0;
  }

  function clearFilters() {
    document.querySelectorAll('[data-param]').forEach((input) => {
      input.value = '';
    });
    filtersChanged(true);
  }

  /** The same filters the API applies, for rows that arrive live (the stream is filtered too; this keeps the table honest). */
  function matchesFilters(e) {
    const f = state.filters;
    const same = (param, value) => f[param] === undefined || f[param] === value;
    if (!same('provider', e.provider) || !same('virtual_key', e.virtual_key) || !same('team', e.team)
      || !same('customer', e.customer) || !same('session_id', e.session_id) || !same('node', e.node)
      || !same('rule', e.rule) || !same('agent_id', e.agent_id) || !same('request_class', e.request_class)) return false;
    if (f.model !== undefined && f.model !== e.requested_model && f.model !== e.model
      && f.model !== e.provider + '/' + e.model) return false;
    if (f.status !== undefined) {
      const cls = /^([1-5])xx$/.exec(f.status);
      if (cls ? Math.floor(e.status / 100) !== Number(cls[1]) : Number(f.status) !== e.status) return false;
    }
    if (f.error_type !== undefined) {
      const wanted = f.error_type.toLowerCase();
      if (wanted === 'none' ? !!e.error_type : wanted !== e.error_type) return false;
    }
    if (f.stream !== undefined && f.stream !== String(!!e.stream)) return false;
    const within = (value, low, high) => (low === undefined || value >= Number(low)) && (high === undefined || value <= Number(high));
    if (!within(e.time, f.from, f.to)) return false;
    if (!within(e.latency_ms, f.min_latency_ms, f.max_latency_ms)) return false;
    if (!within((e.input_tokens || 0) + (e.output_tokens || 0), f.min_tokens, f.max_tokens)) return false;
    if (!within(e.cost_usd || 0, f.min_cost, f.max_cost)) return false;
    return true; // q (content) is only known to the server, which filtered the stream by it
  }

  // ---------- requests table ----------

  function renderHeader() {
    const header = $('header-row');
    const filterRow = $('filter-row');
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.param : null;
    clear(header);
    clear(filterRow);
    for (const column of visibleColumns()) {
      const th = el('th', { class: (column.num ? 'num ' : '') + (column.sort ? 'sortable' : ''), dataset: { col: column.id }, 'data-testid': 'header-' + column.id },
        column.label);
      if (column.sort) {
        th.title = 'Sort by ' + column.label.toLowerCase();
        if (state.sort === column.sort) th.appendChild(el('span', { class: 'arrow', text: state.order === 'desc' ? '▼' : '▲' }));
        th.addEventListener('click', () => sortBy(column.sort));
      }
      header.appendChild(th);
      filterRow.appendChild(el('th', { dataset: { col: column.id } }, filterInput(column)));
    }
    if (focused) {
      const again = document.querySelector('#filter-row [data-param="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function filterInput(column) {
    const spec = column.filter;
    if (!spec) return null;
    if (spec.type === 'select') {
      const select = el('select', { 'data-param': spec.param, 'data-testid': 'filter-' + spec.param, 'aria-label': column.label + ' filter', onchange: () => filtersChanged(true) },
        spec.options.map(([value, label]) => el('option', { value, text: label })));
      select.value = state.filters[spec.param] || '';
      return select;
    }
    if (spec.type === 'range') {
      const box = (param, bound) => el('input', {
        type: 'text', inputmode: 'decimal', pattern: '[0-9]*[.]?[0-9]*', 'data-param': param, 'data-testid': 'filter-' + param, placeholder: bound,
        title: bound + ' (' + spec.unit + ')', 'aria-label': column.label + ' ' + bound, value: state.filters[param] || '',
        oninput: () => filtersChanged(false),
      });
      return el('div', { class: 'range' }, box(spec.min, 'min'), box(spec.max, 'max'));
    }
    return el('input', {
      type: 'text', 'data-param': spec.param, 'data-testid': 'filter-' + spec.param, placeholder: 'filter', title: spec.title || 'exact match',
      'aria-label': column.label + ' filter', value: state.filters[spec.param] || '', spellcheck: 'false',
      oninput: () => filtersChanged(false),
    });
  }

  function renderRows(freshIds) {
    const body = $('log-rows');
    clear(body);
    const columns = visibleColumns();
    for (const entry of state.rows) {
      const tr = el('tr', { dataset: { id: entry.id, status: entry.status }, 'data-testid': 'log-row', class: entry.id === state.selectedId ? 'selected' : '' });
      if (freshIds && freshIds.has(entry.id)) tr.classList.add('fresh');
      for (const column of columns) {
        tr.appendChild(el('td', { class: column.num ? 'num' : '', dataset: { col: column.id } }, column.render(entry)));
      }
      tr.addEventListener('click', () => openDetail(entry.id));
      body.appendChild(tr);
    }
    $('empty-rows').hidden = state.rows.length > 0;
    renderPaging();
  }

  function renderPaging() {
    const first = state.total === 0 ? 0 : state.offset + 1;
    const last = state.offset + state.rows.length;
    $('page-info').textContent = fmtInt(first) + '–' + fmtInt(last) + ' of ' + fmtInt(state.total);
    $('page-prev').disabled = state.offset === 0;
    $('page-next').disabled = last >= state.total;
    const newRows = $('new-rows');
    newRows.hidden = state.pendingNew === 0;
    newRows.textContent = state.pendingNew + ' new — show';
  }

  let rowsRequest = 0; // answers to an older request are dropped

  async function loadRows() {
    const mine = ++rowsRequest;
    const params = Object.assign(filterParams(), { limit: state.limit, offset: state.offset, sort: state.sort, order: state.order });
    try {
      const page = await api('/api/logs', params);
      if (mine !== rowsRequest) return;
      state.rows = Array.isArray(page.data) ? page.data : [];
      state.total = typeof page.total === 'number' ? page.total : state.rows.length;
      state.pendingNew = 0;
      showNodes(page.nodes);
      showError(null);
      renderRows();
    } catch (error) {
      if (mine === rowsRequest) showError(error);
    }
  }

  function sortBy(key) {
    if (state.sort === key) state.order = state.order === 'desc' ? 'asc' : 'desc';
    else {
      state.sort = key;
      state.order = 'desc';
    }
    state.offset = 0;
    renderHeader();
    loadRows();
  }

  /** A row that arrived on the stream: on the newest-first first page it goes straight in, elsewhere it is counted. */
  function onLiveEntry(entry) {
    if (!entry || !entry.id || !matchesFilters(entry)) return;
    scheduleViewRefresh();
    if (state.rows.some((row) => row.id === entry.id)) return;
    if (state.offset === 0 && state.sort === 'time' && state.order === 'desc') {
      state.rows.unshift(entry);
      state.rows.sort((a, b) => b.time - a.time);
      if (state.rows.length > state.limit) state.rows.length = state.limit;
      state.total += 1;
      renderRows(new Set([entry.id]));
    } else {
      state.pendingNew += 1;
      renderPaging();
    }
  }

  // ---------- live stream (SSE over fetch, so the token can travel in a header) ----------

  function setLiveState(name) {
    const node = $('live-state');
    node.dataset.state = name;
    node.textContent = name;
  }

  const stream = {
    controller: null,
    generation: 0,
    failures: 0,

    restart() {
      this.stop();
      if (!state.live) {
        setLiveState('paused');
        return;
      }
      const generation = ++this.generation;
      this.controller = new AbortController();
      this.run(generation, this.controller.signal, false);
    },

    stop() {
      this.generation += 1;
      if (this.controller) this.controller.abort();
      this.controller = null;
    },

    async run(generation, signal, reconnect) {
      setLiveState(reconnect ? 'reconnecting' : 'connecting');
      try {
        const query = new URLSearchParams(filterParams()).toString();
        const response = await fetch('/api/logs/stream' + (query ? '?' + query : ''), {
          headers: Object.assign({ Accept: 'text/event-stream' }, authHeaders()), signal, cache: 'no-store',
        });
        if (response.status === 401) {
          await askForToken();
          if (generation === this.generation) this.run(generation, signal, false);
          return;
        }
        if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
        this.failures = 0;
        setLiveState('live');
        if (reconnect) loadRows(); // rows logged while the stream was down
        await this.read(response.body, generation);
        if (generation !== this.generation) return;
        throw new Error('stream ended');
      } catch (error) {
        if (generation !== this.generation || signal.aborted) return;
        // Back-off doubles from 1 s to 30 s, with jitter so a restarted node is not met by every tab at once.
        const delay = Math.min(30000, 1000 * 2 ** Math.min(this.failures, 5)) * (0.75 + Math.random() * 0.5);
        this.failures += 1;
        setLiveState('reconnecting');
        setTimeout(() => {
          if (generation === this.generation) this.run(generation, signal, true);
        }, delay);
      }
    },

    /** Reads the SSE body: frames end with a blank line; {@code event:} names it, {@code data:} lines are its payload. */
    async read(body, generation) {
      const reader = body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done || generation !== this.generation) {
          reader.cancel().catch(() => {});
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          this.dispatch(frame);
        }
      }
    },

    dispatch(frame) {
      let event = 'message';
      const data = [];
      for (const line of frame.split(/\r?\n/)) {
        if (!line || line.startsWith(':')) continue; // keepalive comments
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0 || (event !== 'log' && event !== 'message')) return;
      try {
        onLiveEntry(JSON.parse(data.join('\n')));
      } catch (ignored) {
        // a frame that is not an entry: nothing to show
      }
    },
  };

  // ---------- detail panel ----------

  let detailRequest = 0;

  async function openDetail(id) {
    state.selectedId = id;
    document.querySelectorAll('#log-rows tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === id));
    const mine = ++detailRequest;
    const panel = $('detail');
    $('detail-title').textContent = id;
    const body = $('detail-body');
    clear(body);
    body.appendChild(el('p', { class: 'muted', text: 'Loading…' }));
    panel.hidden = false;
    try {
      const entry = await api('/api/logs/' + encodeURIComponent(id));
      if (mine !== detailRequest) return;
      renderDetail(entry);
    } catch (error) {
      if (mine !== detailRequest) return;
      clear(body);
      body.appendChild(el('p', { class: 'err-text', 'data-testid': 'detail-error', text: error.status === 404 ? 'This request is no longer in the log.' : error.message }));
    }
  }

  function closeDetail() {
    $('detail').hidden = true;
    state.selectedId = null;
    document.querySelectorAll('#log-rows tr.selected').forEach((tr) => tr.classList.remove('selected'));
  }

  function kv(pairs) {
    const list = el('dl', { class: 'kv' });
    for (const [label, value, testid, raw] of pairs) {
      if (value === undefined) continue;
      list.appendChild(el('dt', { text: label }));
      // data-value: the number behind the formatted text, for scripts and tests
      list.appendChild(el('dd', { 'data-testid': testid || null, 'data-value': raw === undefined || raw === null ? null : raw },
        value === null || value === '' ? dim('—') : value));
    }
    return list;
  }

  function renderDetail(e) {
    const body = $('detail-body');
    clear(body);
    const served = e.model ? (e.provider ? e.provider + '/' + e.model : e.model) : null;
    body.append(
      el('h3', { text: 'Request' }),
      kv([
        ['Time', new Date(e.time).toISOString()],
        ['Status', renderStatus(e), 'detail-status'],
        ['Error', e.error_type ? el('span', { class: 'err-text', text: e.error_type }) : null, 'detail-error-type'],
        ['Error message', e.error_message || null],
        ['Operation', e.operation],
        ['Stream', e.stream ? 'yes' : 'no'],
        ['Node', e.node],
      ]),
      el('h3', { text: 'Who' }),
      kv([
        ['Virtual key', e.virtual_key, 'detail-virtual-key'],
        ['Team', e.team],
        ['Customer', e.customer],
        ['Session', e.session_id, 'detail-session'],
        ['Agent', e.agent_id],
        ['Request class', e.request_class],
        ['Client', e.client_version],
        ['User agent', e.user_agent],
      ]),
      el('h3', { text: 'Route' }),
      kv([
        ['Requested model', e.requested_model, 'detail-requested-model'],
        ['Served by', served, 'detail-served'],
        ['Rule', e.rule, 'detail-rule'],
        ['Affinity', e.affinity],
        ['Attempts', String(e.attempts), 'detail-attempt-count'],
      ]),
      el('h3', { text: 'Timings' }),
      renderTimeline(e),
      kv([
        ['Latency', fmtMs(e.latency_ms), 'detail-latency', e.latency_ms],
        ['Time to first token', e.ttft_ms === null || e.ttft_ms === undefined ? null : fmtMs(e.ttft_ms), 'detail-ttft', e.ttft_ms],
        ...timingPairs(e.timings),
      ]),
      el('h3', { text: 'Attempts' }),
      renderAttempts(e.attempt_list || []),
      el('h3', { text: 'Tokens and cost' }),
      kv([
        ['Input tokens', fmtInt(e.input_tokens), 'detail-input-tokens', e.input_tokens],
        ['Output tokens', fmtInt(e.output_tokens), 'detail-output-tokens', e.output_tokens],
        ['Cache read', fmtInt(e.cache_read_tokens), 'detail-cache-read', e.cache_read_tokens],
        ['Cache write', fmtInt(e.cache_write_tokens), 'detail-cache-write', e.cache_write_tokens],
        ['Cost', fmtUsd(e.cost_usd), 'detail-cost', e.cost_usd],
      ]),
    );
    if (e.content) {
      body.append(el('h3', { text: 'Content' + (e.content.truncated ? ' (truncated)' : '') }));
      if (e.content.request !== null && e.content.request !== undefined) {
        body.append(el('div', { class: 'muted', text: 'Request' }), el('pre', { class: 'content', 'data-testid': 'detail-content-request', text: e.content.request }));
      }
      if (e.content.response !== null && e.content.response !== undefined) {
        body.append(el('div', { class: 'muted', text: 'Answer' }), el('pre', { class: 'content', 'data-testid': 'detail-content-response', text: e.content.response }));
      }
    }
  }

  const TIMING_LABELS = [['admitted_ms', 'Admitted'], ['routed_ms', 'Routed'], ['first_byte_ms', 'First byte to client'],
    ['last_byte_ms', 'Last byte to client'], ['end_ms', 'Ended']];

  function timingPairs(timings) {
    if (!timings) return [];
    return TIMING_LABELS.map(([key, label]) => [label, timings[key] === null || timings[key] === undefined ? null : '+' + fmtMs(timings[key]), 'detail-timing-' + key, timings[key]]);
  }

  function renderAttempts(attempts) {
    if (attempts.length === 0) return el('p', { class: 'muted', text: 'No upstream attempt (answered or refused by the node itself).' });
    const ms = (value) => (value === null || value === undefined ? dim('—') : fmtMs(value));
    return el('table', { 'data-testid': 'detail-attempts' },
      el('thead', null, el('tr', null, ['#', 'Target', 'Outcome', 'Start', 'Head', 'End', 'In', 'Out', 'Cache r/w', 'Cost'].map((h, i) => el('th', { class: i >= 3 ? 'num' : '', text: h })))),
      el('tbody', null, attempts.map((a, i) => el('tr', { 'data-testid': 'detail-attempt', dataset: { outcome: a.outcome } },
        el('td', { text: i + 1 }),
        el('td', { class: 'mono target', text: (a.provider || '') + '/' + (a.model || '') }),
        el('td', { class: a.outcome === 'answered' ? '' : 'err-text', 'data-testid': 'attempt-outcome', text: a.outcome }),
        el('td', { class: 'num' }, ms(a.start_ms)),
        el('td', { class: 'num' }, ms(a.head_ms)),
        el('td', { class: 'num' }, ms(a.end_ms)),
        el('td', { class: 'num', 'data-testid': 'attempt-input-tokens', 'data-value': a.input_tokens, text: fmtInt(a.input_tokens) }),
        el('td', { class: 'num', 'data-testid': 'attempt-output-tokens', 'data-value': a.output_tokens, text: fmtInt(a.output_tokens) }),
        el('td', { class: 'num', text: fmtInt(a.cache_read_tokens) + ' / ' + fmtInt(a.cache_write_tokens) }),
        el('td', { class: 'num', 'data-testid': 'attempt-cost', 'data-value': a.cost_usd, text: fmtUsd(a.cost_usd) }),
      ))));
  }

  /** The request's life on one axis: each attempt as a bar (head marked), the phases as ticks. */
  function renderTimeline(e) {
    const timings = e.timings || {};
    const attempts = e.attempt_list || [];
    const end = Math.max(e.latency_ms || 0, timings.end_ms || 0, ...attempts.map((a) => a.end_ms || 0)) || 1;
    const width = 560;
    const left = 8;
    const usable = width - 2 * left;
    const x = (ms) => left + (usable * Math.max(0, ms)) / end;
    const rowHeight = 16;
    const top = 36; // room for two lines of phase labels
    const height = top + Math.max(1, attempts.length) * rowHeight + 18;
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, 'data-testid': 'detail-timeline', role: 'img', 'aria-label': 'Timeline of the request' });
    chart.appendChild(svg('line', { x1: left, x2: width - left, y1: height - 14, y2: height - 14, stroke: '#c9ced8' }));
    chart.appendChild(svg('text', { x: left, y: height - 2, fill: '#667085' }, '0'));
    chart.appendChild(svg('text', { x: width - left, y: height - 2, 'text-anchor': 'end', fill: '#667085' }, fmtMs(end)));
    attempts.forEach((a, i) => {
      const y = top + i * rowHeight;
      const start = a.start_ms || 0;
      const stop = a.end_ms === null || a.end_ms === undefined ? end : a.end_ms;
      const ok = a.outcome === 'answered';
      chart.appendChild(svg('rect', { x: x(start), y, width: Math.max(2, x(stop) - x(start)), height: rowHeight - 5, rx: 2, fill: ok ? '#6b8ff0' : '#e0796f' },
        svg('title', null, (a.provider || '') + '/' + (a.model || '') + ' · ' + a.outcome + ' · ' + fmtMs(start) + ' → ' + fmtMs(stop))));
      if (a.head_ms !== null && a.head_ms !== undefined) {
        chart.appendChild(svg('rect', { x: x(a.head_ms) - 1, y: y - 1, width: 2, height: rowHeight - 3, fill: '#1d2330' }, svg('title', null, 'response head at ' + fmtMs(a.head_ms))));
      }
    });
    const marks = [['routed_ms', 'routed', '#667085'], ['first_byte_ms', 'first byte', '#1f8a4c'], ['last_byte_ms', 'last byte', '#d97706']];
    const taken = [[], []]; // label extents per line, so close phases stack instead of overprinting
    for (const [key, label, color] of marks) {
      const at = timings[key];
      if (at === null || at === undefined) continue;
      const labelWidth = label.length * 5.5 + 4;
      const start = Math.min(x(at) + 2, width - labelWidth);
      const line = taken.findIndex((spans) => spans.every(([a, b]) => start > b || start + labelWidth < a));
      const row = line < 0 ? taken.length - 1 : line;
      taken[row].push([start, start + labelWidth]);
      chart.appendChild(svg('line', { x1: x(at), x2: x(at), y1: 4 + row * 12, y2: height - 14, stroke: color, 'stroke-dasharray': '3 2' }));
      chart.appendChild(svg('text', { x: start, y: 11 + row * 12, fill: color }, label));
    }
    return el('div', { class: 'timeline' }, chart);
  }

  // ---------- charts ----------

  const BUCKET_MS = { minute: 60000, hour: 3600000, day: 86400000 };

  async function loadCharts() {
    const bucket = $('chart-bucket').value;
    try {
      const stats = await api('/api/logs/stats', Object.assign(filterParams(), { group_by: bucket }));
      showNodes(stats.nodes);
      showError(null);
      const groups = fillGaps(stats.groups || [], bucket);
      $('charts-info').textContent = groups.length ? groups.length + (groups.length === 1 ? ' bucket' : ' buckets') + ' of one ' + bucket + ' (UTC), ' + fmtInt(groups.reduce((s, g) => s + g.requests, 0)) + ' requests' : '';
      const label = (g) => bucketLabel(g.key, bucket);
      drawBars('chart-requests', groups, label, [['ok', (g) => g.requests - (g.errors || 0), 'var(--accent)'], ['errors', (g) => g.errors || 0, 'var(--err)']], fmtInt, 'count');
      drawLines('chart-latency', groups, label, [['p50', (g) => (g.latency_ms ? g.latency_ms.p50 : null), 'var(--p50)'], ['p90', (g) => (g.latency_ms ? g.latency_ms.p90 : null), 'var(--p90)']], fmtMs, 'ms');
      drawBars('chart-tokens', groups, label, [['input', (g) => g.input_tokens || 0, 'var(--in)'], ['output', (g) => g.output_tokens || 0, 'var(--out)']], fmtInt, 'tokens');
      drawBars('chart-cost', groups, label, [['cost', (g) => g.cost_usd || 0, 'var(--cost)']], fmtUsd, 'usd');
    } catch (error) {
      showError(error);
    }
  }

  function bucketStart(key) {
    const ms = Date.parse(key);
    return Number.isNaN(ms) ? null : ms;
  }

  /** Buckets with no request are absent from the answer; a time axis needs them as zeros. */
  function fillGaps(groups, bucket) {
    const step = BUCKET_MS[bucket];
    const known = groups.map((g) => ({ g, at: bucketStart(g.key) }));
    if (known.length < 2 || known.some((k) => k.at === null)) return groups;
    known.sort((a, b) => a.at - b.at);
    const first = known[0].at;
    const last = known[known.length - 1].at;
    if ((last - first) / step > 1500) return known.map((k) => k.g);
    const byTime = new Map(known.map((k) => [k.at, k.g]));
    const filled = [];
    for (let at = first; at <= last; at += step) {
      filled.push(byTime.get(at) || { key: new Date(at).toISOString(), requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, latency_ms: null });
    }
    return filled;
  }

  function bucketLabel(key, bucket) {
    const at = bucketStart(key);
    if (at === null) return key;
    const d = new Date(at);
    if (bucket === 'day') return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate());
    return pad2(d.getHours()) + ':' + pad2(d.getMinutes());
  }

  function compact(n) {
    if (n >= 1e9) return (n / 1e9).toFixed(1) + 'G';
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e4) return (n / 1e3).toFixed(0) + 'k';
    return fmtInt(Math.round(n));
  }

  /** A rounded top for the y axis, so the ticks read as 0, 25, 50… rather than 0, 23.7, 47.4… */
  function niceMax(value) {
    if (!(value > 0)) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * magnitude >= value) return step * magnitude;
    }
    return 10 * magnitude;
  }

  const CHART = { width: 560, height: 200, left: 58, right: 10, top: 10, bottom: 24 };

  /** Tick labels with as many decimals as the step needs, the same on every tick. */
  function axisFormat(kind, top) {
    const step = top / 4;
    const decimals = step >= 1 ? (Number.isInteger(step) ? 0 : 1) : Math.min(6, Math.ceil(-Math.log10(step)) + 1);
    if (kind === 'usd') return (v) => '$' + v.toFixed(decimals);
    if (kind === 'ms') return (v) => (top >= 4000 ? (v / 1000).toFixed(top >= 40000 ? 0 : 1) + ' s' : v.toFixed(Math.min(decimals, 2)) + ' ms');
    if (kind === 'tokens') return (v) => compact(v);
    return (v) => v.toFixed(decimals);
  }

  function frame(figureId, groups, label, maxValue, format, axis) {
    const plot = document.querySelector('#' + figureId + ' .plot');
    clear(plot);
    CHART.width = Math.max(320, Math.round(plot.clientWidth || 560)); // drawn at its real width: no stretched text
    const chart = svg('svg', { viewBox: '0 0 ' + CHART.width + ' ' + CHART.height, 'data-testid': figureId + '-svg', role: 'img', 'aria-label': figureId.replace('chart-', '') + ' over time' });
    plot.appendChild(chart);
    const innerW = CHART.width - CHART.left - CHART.right;
    const innerH = CHART.height - CHART.top - CHART.bottom;
    if (groups.length === 0) {
      chart.appendChild(svg('text', { class: 'nodata', x: CHART.width / 2, y: CHART.height / 2, 'text-anchor': 'middle' }, 'No requests in this range yet'));
      return null;
    }
    const top = niceMax(maxValue);
    const tick = axisFormat(axis, top);
    const y = (v) => CHART.top + innerH - (innerH * v) / top;
    for (let i = 0; i <= 4; i++) {
      const value = (top * i) / 4;
      chart.appendChild(svg('line', { class: i === 0 ? 'axis' : 'grid', x1: CHART.left, x2: CHART.width - CHART.right, y1: y(value), y2: y(value) }));
      chart.appendChild(svg('text', { x: CHART.left - 6, y: y(value) + 3, 'text-anchor': 'end' }, i === 0 ? '0' : tick(value)));
    }
    const slot = innerW / groups.length;
    const every = Math.max(1, Math.ceil(groups.length / 8));
    groups.forEach((g, i) => {
      if (i % every === 0) chart.appendChild(svg('text', { x: CHART.left + slot * (i + 0.5), y: CHART.height - 8, 'text-anchor': 'middle' }, label(g)));
    });
    return { chart, y, slot };
  }

  function drawBars(figureId, groups, label, series, format, axis) {
    const max = Math.max(0, ...groups.map((g) => series.reduce((sum, [, value]) => sum + value(g), 0)));
    const drawn = frame(figureId, groups, label, max, format, axis);
    if (!drawn) return;
    const { chart, y, slot } = drawn;
    const barWidth = Math.max(1, Math.min(28, slot * 0.7));
    groups.forEach((g, i) => {
      let base = 0;
      const x = CHART.left + slot * (i + 0.5) - barWidth / 2;
      for (const [name, value, color] of series) {
        const v = value(g);
        if (v > 0) {
          chart.appendChild(svg('rect', { class: 'bar', x, y: y(base + v), width: barWidth, height: Math.max(0.5, y(base) - y(base + v)), fill: color, 'data-series': name, 'data-key': g.key, 'data-value': v },
            svg('title', null, label(g) + ' · ' + name + ': ' + format(v))));
        }
        base += v;
      }
    });
  }

  function drawLines(figureId, groups, label, series, format, axis) {
    const values = groups.flatMap((g) => series.map(([, value]) => value(g))).filter((v) => v !== null && v !== undefined);
    const drawn = frame(figureId, groups, label, Math.max(0, ...values), format, axis);
    if (!drawn) return;
    const { chart, y, slot } = drawn;
    for (const [name, value, color] of series) {
      const points = [];
      groups.forEach((g, i) => {
        const v = value(g);
        if (v === null || v === undefined) return;
        points.push([CHART.left + slot * (i + 0.5), y(v), g, v]);
      });
      if (points.length > 1) {
        chart.appendChild(svg('polyline', { points: points.map(([px, py]) => px.toFixed(1) + ',' + py.toFixed(1)).join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': name }));
      }
      const radius = points.length > 60 ? 1.5 : 3; // dense series: the line carries it, the dots only hold the tooltips
      for (const [px, py, g, v] of points) {
        chart.appendChild(svg('circle', { class: 'point', cx: px, cy: py, r: radius, fill: color, 'data-series': name, 'data-key': g.key, 'data-value': v },
          svg('title', null, label(g) + ' · ' + name + ': ' + format(v))));
      }
    }
  }

  // ---------- spend ----------

  const SPEND_LABELS = { virtual_key: 'Virtual key', team: 'Team', customer: 'Customer', session: 'Session', model: 'Model', provider: 'Provider' };

  async function loadSpend() {
    const group = $('spend-group').value;
    try {
      const stats = await api('/api/logs/stats', Object.assign(filterParams(), { group_by: group }));
      showNodes(stats.nodes);
      showError(null);
      renderSpend(group, stats.groups || []);
    } catch (error) {
      showError(error);
    }
  }

  function renderSpend(group, groups) {
    $('spend-key-header').textContent = SPEND_LABELS[group] || group;
    const rows = $('spend-rows');
    const foot = $('spend-total');
    clear(rows);
    clear(foot);
    const total = { requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0 };
    for (const g of groups) for (const k of Object.keys(total)) total[k] += g[k] || 0;
    const num = (col, value, text) => el('td', { class: 'num', dataset: { col, value: value === null || value === undefined ? '' : value }, text });
    for (const g of groups) {
      const share = total.cost_usd > 0 ? (g.cost_usd || 0) / total.cost_usd : 0;
      rows.appendChild(el('tr', { 'data-testid': 'spend-row', dataset: { key: g.key === null || g.key === undefined ? '' : g.key } },
        el('td', { class: 'mono', dataset: { col: 'key' } }, g.key === null || g.key === undefined || g.key === '' ? dim('(none)') : g.key),
        num('requests', g.requests, fmtInt(g.requests)),
        num('errors', g.errors, fmtInt(g.errors)),
        num('input_tokens', g.input_tokens, fmtInt(g.input_tokens)),
        num('output_tokens', g.output_tokens, fmtInt(g.output_tokens)),
        num('cache_read_tokens', g.cache_read_tokens, fmtInt(g.cache_read_tokens)),
        num('cache_write_tokens', g.cache_write_tokens, fmtInt(g.cache_write_tokens)),
        num('p50', g.latency_ms ? g.latency_ms.p50 : null, g.latency_ms ? fmtMs(g.latency_ms.p50) : ''),
        num('p90', g.latency_ms ? g.latency_ms.p90 : null, g.latency_ms ? fmtMs(g.latency_ms.p90) : ''),
        num('cost_usd', g.cost_usd, fmtUsd(g.cost_usd)),
        el('td', null, el('div', { class: 'share' }, spendBar(share), el('span', { class: 'pct', text: (share * 100).toFixed(1) + '%' }))),
      ));
    }
    if (groups.length === 0) {
      rows.appendChild(el('tr', null, el('td', { colspan: 11, class: 'empty', text: 'No requests match.' })));
    }
    foot.appendChild(el('tr', { 'data-testid': 'spend-total-row' },
      el('td', { text: 'Total (' + groups.length + ')' }),
      num('requests', total.requests, fmtInt(total.requests)),
      num('errors', total.errors, fmtInt(total.errors)),
      num('input_tokens', total.input_tokens, fmtInt(total.input_tokens)),
      num('output_tokens', total.output_tokens, fmtInt(total.output_tokens)),
      num('cache_read_tokens', total.cache_read_tokens, fmtInt(total.cache_read_tokens)),
      num('cache_write_tokens', total.cache_write_tokens, fmtInt(total.cache_write_tokens)),
      el('td'), el('td'),
      num('cost_usd', total.cost_usd, fmtUsd(total.cost_usd)),
      el('td'),
    ));
    $('spend-info').textContent = groups.length + (groups.length === 1 ? ' group' : ' groups') + ', by cost';
  }

  function spendBar(share) {
    const bar = el('div', { class: 'bar' });
    bar.style.width = Math.round(share * 120) + 'px'; // CSSOM, allowed by the page's style-src 'self'
    return bar;
  }

  // ---------- views ----------

  function showView(view) {
    if (!['requests', 'charts', 'spend'].includes(view)) view = 'requests';
    state.view = view;
    for (const name of ['requests', 'charts', 'spend']) {
      $('view-' + name).hidden = name !== view;
      const tab = $('tab-' + name);
      tab.classList.toggle('active', name === view);
      tab.setAttribute('aria-selected', String(name === view));
    }
    if (location.hash !== '#' + view) history.replaceState(null, '', '#' + view);
    refreshView();
  }

  function refreshView() {
    if (state.view === 'charts') loadCharts();
    else if (state.view === 'spend') loadSpend();
    else loadRows();
  }

  let viewTimer = null;

  /** Charts and spend follow live traffic too, at most every 1.5 s. */
  function scheduleViewRefresh() {
    if (state.view === 'requests' || viewTimer) return;
    viewTimer = setTimeout(() => {
      viewTimer = null;
      refreshView();
    }, VIEW_REFRESH_DEBOUNCE_MS);
  }

  // ---------- columns menu ----------

  function renderColumnsMenu() {
    const menu = $('columns-menu');
    clear(menu);
    for (const column of COLUMNS) {
      const box = el('input', { type: 'checkbox', 'data-testid': 'column-toggle-' + column.id, dataset: { col: column.id } });
      box.checked = !state.hidden.has(column.id);
      box.addEventListener('change', () => {
        if (box.checked) state.hidden.delete(column.id);
        else state.hidden.add(column.id);
        localStorage.setItem(HIDDEN_KEY, JSON.stringify([...state.hidden]));
        renderHeader();
        renderRows();
        filtersChanged(true); // a hidden column's filter goes with it
      });
      menu.appendChild(el('label', null, box, column.label));
    }
  }

  function toggleColumnsMenu(open) {
    const menu = $('columns-menu');
    const show = open === undefined ? menu.hidden : open;
    menu.hidden = !show;
    $('columns-button').setAttribute('aria-expanded', String(show));
  }

  // ---------- start ----------

  function init() {
    if (state.hidden === null) state.hidden = new Set(COLUMNS.filter((c) => c.hidden).map((c) => c.id));
    renderHeader();
    renderColumnsMenu();
    updateFilterSummary();

    document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => showView(tab.dataset.view)));
    window.addEventListener('hashchange', () => showView(location.hash.slice(1)));
    document.querySelectorAll('.toolbar [data-param]').forEach((input) => input.addEventListener(input.type === 'search' ? 'input' : 'change', () => filtersChanged(input.type !== 'search')));
    document.querySelectorAll('.quick-range button').forEach((button) => button.addEventListener('click', () => {
      const from = new Date(Date.now() - Number(button.dataset.range) * 60000);
      from.setSeconds(0, 0);
      $('filter-from').value = from.getFullYear() + '-' + pad2(from.getMonth() + 1) + '-' + pad2(from.getDate()) + 'T' + pad2(from.getHours()) + ':' + pad2(from.getMinutes()) + ':00';
      $('filter-to').value = '';
      filtersChanged(true);
    }));
    $('filters-clear').addEventListener('click', clearFilters);
    $('page-size').addEventListener('change', () => {
      state.limit = Number($('page-size').value);
      state.offset = 0;
      loadRows();
    });
    $('page-prev').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - state.limit);
      loadRows();
    });
    $('page-next').addEventListener('click', () => {
      state.offset += state.limit;
      loadRows();
    });
    $('new-rows').addEventListener('click', () => {
      state.offset = 0;
      state.sort = 'time';
      state.order = 'desc';
      renderHeader();
      loadRows();
    });
    $('columns-button').addEventListener('click', (event) => {
      event.stopPropagation();
      toggleColumnsMenu();
    });
    $('columns-menu').addEventListener('click', (event) => event.stopPropagation());
    document.addEventListener('click', () => toggleColumnsMenu(false));
    $('detail-close').addEventListener('click', closeDetail);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        closeDetail();
        toggleColumnsMenu(false);
      }
    });
    $('chart-bucket').addEventListener('change', loadCharts);
    $('charts-refresh').addEventListener('click', loadCharts);
    $('spend-group').addEventListener('change', loadSpend);
    $('spend-refresh').addEventListener('click', loadSpend);
    $('live-toggle').addEventListener('change', () => {
      state.live = $('live-toggle').checked;
      if (state.live) loadRows();
      stream.restart();
    });

    showView(location.hash.slice(1) || 'requests');
    stream.restart();
  }

  document.addEventListener('DOMContentLoaded', init);
}());
