// kg's link chart: the page of `kg serve`. Every answer comes from the JSON API
// (docs/serve.md), which answers as the command line's --format json does. Text from
// the database is only ever set as text (textContent) or drawn on the canvas, never
// parsed as markup.
import { span, dayText } from './dates.js';
import { download, svgOfView } from './exports.js';
import { drawLegend, kindStyle } from './legend.js';

(() => {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const $ = (id) => document.getElementById(id);

  let server = { write: false, draw_limit: 2000 };
  // Counts the chart's clearings: what an answer brings after one is not drawn.
  let chartGeneration = 0;
  // How many of an actor's relations its card lists at a time.
  const CARD_PAGE = 100;
  const symmetric = new Set();
  const kinds = new Map(); // name -> kind
  let cy = null;

  // ----- the API -----

  async function api(path, params = {}, body) {
    const url = new URL('/api/' + path, location.origin);
    for (const [key, value] of Object.entries(params)) {
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
      else if (value === true) url.searchParams.set(key, 'true');
      else if (value !== undefined && value !== null && value !== '' && value !== false) {
        url.searchParams.set(key, String(value));
      }
    }
    const headers = { 'X-Requested-With': 'kg' };
    if (token) headers.Authorization = 'Bearer ' + token;
    const init = { headers };
    if (body !== undefined) {
      init.method = 'POST';
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const type = response.headers.get('Content-Type') || '';
    const data = type.startsWith('application/json') ? await response.json() : await response.text();
    if (!response.ok) throw new Error((data && data.error) || response.status + ' ' + response.statusText);
    return data;
  }

  function say(text, isError = false) {
    const status = $('status');
    status.textContent = text || '';
    status.classList.toggle('error', isError);
  }

  async function attempt(what) {
    try {
      say('');
      await what();
    } catch (e) {
      say(e.message, true);
    }
  }

  // ----- the chart -----

  function startChart() {
    cy = cytoscape({
      container: $('chart'),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 2,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(name)',
            shape: 'data(shape)',
            'background-color': 'data(colour)',
            'border-width': 1,
            'border-color': '#57606a',
            'font-size': 11,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            width: 28,
            height: 28,
          },
        },
        {
          selector: 'edge',
          style: {
            label: 'data(label)',
            'font-size': 9,
            'text-rotation': 'autorotate',
            'text-background-color': '#fff',
            'text-background-opacity': 0.8,
            'curve-style': 'bezier',
            width: 1.5,
            'line-color': '#444c56',
            'target-arrow-color': '#444c56',
            'target-arrow-shape': 'data(arrow)',
            'line-style': 'data(line)',
          },
        },
        { selector: 'edge[status = "denied"]', style: { 'line-color': '#7f7f7f', 'target-arrow-color': '#7f7f7f' } },
        { selector: 'node.onpath', style: { 'border-color': '#d1242f', 'border-width': 4 } },
        { selector: 'edge.onpath', style: { 'line-color': '#d1242f', 'target-arrow-color': '#d1242f', width: 4 } },
        { selector: ':selected', style: { 'overlay-color': '#0969da', 'overlay-opacity': 0.25 } },
        { selector: '.outside', style: { display: 'none' } },
      ],
    });
    cy.on('tap', 'node', (event) => attempt(() => showEntity(event.target.data('name'))));
    cy.on('tap', 'edge', (event) => attempt(() => showRelation(event.target.data('rid'))));
    cy.on('dbltap', 'node', (event) => attempt(() => expand(event.target.data('name'))));
  }

  function nodeId(name) {
    return 'n:' + name;
  }

  function addNode(name, kind) {
    if (kind) kinds.set(name, kind);
    const existing = cy.getElementById(nodeId(name));
    const [shape, colour] = kindStyle(kinds.get(name));
    if (existing.nonempty()) {
      existing.data({ shape, colour });
      return false;
    }
    cy.add({ group: 'nodes', data: { id: nodeId(name), name, shape, colour } });
    return true;
  }

  function addRelation(r) {
    addNode(r.from);
    addNode(r.to);
    if (cy.getElementById('r:' + r.id).nonempty()) return false;
    const line = r.status === 'denied' ? 'dotted' : r.status === 'claimed' || r.status === 'unconfirmed' ? 'dashed' : 'solid';
    cy.add({
      group: 'edges',
      data: {
        id: 'r:' + r.id,
        rid: r.id,
        source: nodeId(r.from),
        target: nodeId(r.to),
        label: r.date ? r.type + ' ' + r.date : r.type,
        span: span(r.date),
        arrow: symmetric.has(r.type) ? 'none' : 'triangle',
        line,
        status: r.status,
      },
    });
    return true;
  }

  function tooMany(count) {
    const limit = server.draw_limit;
    if (cy.elements().length + count <= limit) return false;
    say(
      `That would put ${cy.elements().length + count} elements on the chart; it draws at most ${limit}. ` +
        'Narrow it under Selection (tick relation types, raise the status) or clear the chart, then try again.',
      true,
    );
    return true;
  }

  // Says what the chart shows, for screen readers (and the browser test).
  function describeChart() {
    const shownNodes = cy.nodes().filter((n) => !n.hasClass('outside')).length;
    const shownEdges = cy.edges().filter((e) => !e.hasClass('outside')).length;
    const hidden = cy.edges().length - shownEdges;
    const path = cy.nodes('.onpath').map((n) => n.data('name'));
    let text = `Link chart: ${shownNodes} actor${shownNodes === 1 ? '' : 's'} and ${shownEdges} relation${shownEdges === 1 ? '' : 's'} shown`;
    if (hidden) text += `, ${hidden} outside the time window`;
    if (path.length) text += `; on the highlighted path: ${path.join(', ')}`;
    $('chart').setAttribute('aria-label', text);
  }

  function layout() {
    const big = cy.nodes().length > 300;
    const options = big
      ? { name: 'concentric', animate: false, padding: 30 }
      : { name: 'cose', animate: false, padding: 30, nodeRepulsion: () => 12000, idealEdgeLength: () => 110, nodeOverlap: 20 };
    cy.layout(options).run();
    refreshWindow();
    refreshList();
  }

  // ----- what the panel asks -----

  function selection() {
    const ticked = [...document.querySelectorAll('#types input:checked')].map((i) => i.value);
    return {
      type: ticked,
      status: $('min-status').value,
      include_denied: $('include-denied').checked && !$('min-status').value,
    };
  }

  async function search(text) {
    const list = $('search-results');
    list.replaceChildren();
    const found = await api('search', { q: text, limit: 12 });
    if (!found.length) say(`Nothing like "${text}".`);
    for (const hit of found) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'name';
      button.textContent = hit.matched && hit.matched !== hit.name ? `${hit.name} (${hit.matched})` : hit.name;
      button.title = `${hit.kind}: put ${hit.name} on the chart`;
      button.addEventListener('click', () => attempt(() => put(hit.name)));
      item.append(button);
      list.append(item);
    }
  }

  async function put(name) {
    const drawn = chartGeneration;
    const entity = await api('entity', { name });
    if (drawn !== chartGeneration) return;
    const fresh = cy.getElementById(nodeId(entity.name)).empty();
    if (fresh && tooMany(1)) return;
    if (addNode(entity.name, entity.kind)) layout();
    cy.$(':selected').unselect();
    cy.getElementById(nodeId(entity.name)).select();
    renderEntity(entity);
  }

  async function expand(name) {
    const drawn = chartGeneration;
    const answer = await api('neighbors', {
      name,
      depth: $('depth').value,
      directed: $('directed').checked,
      ...selection(),
    });
    if (drawn !== chartGeneration) return;
    if (answer.found === false) {
      say(answer.message);
      return;
    }
    const via = new Map();
    for (const n of answer.neighbors) for (const r of n.via) via.set(r.id, r);
    // Only what is not drawn yet counts against the limit.
    const fresh =
      answer.neighbors.filter((n) => cy.getElementById(nodeId(n.name)).empty()).length +
      [...via.keys()].filter((id) => cy.getElementById('r:' + id).empty()).length;
    if (tooMany(fresh)) return;
    addNode(answer.center);
    for (const n of answer.neighbors) addNode(n.name, n.kind);
    let added = 0;
    for (const r of via.values()) if (addRelation(r)) added += 1;
    await fillKinds();
    say(`${answer.center}: ${answer.neighbors.length} neighbours, ${added} new relations.`);
    layout();
  }

  // The kinds of the actors drawn without one (a path's, a relation's ends), asked in
  // one query for up to 500 at a time. The chart cleared meanwhile takes none.
  async function fillKinds() {
    const drawn = chartGeneration;
    const missing = cy.nodes().map((n) => n.data('name')).filter((name) => !kinds.has(name));
    for (let i = 0; i < missing.length; i += 500) {
      const names = missing.slice(i, i + 500);
      const rows = await api('query', {}, {
        query: 'MATCH (n) WHERE n.name IN $names RETURN n.name AS name, n.kind AS kind',
        params: { names },
      });
      if (drawn !== chartGeneration) return;
      for (const row of rows) {
        kinds.set(row.name, row.kind);
        if (cy.getElementById(nodeId(row.name)).nonempty()) addNode(row.name, row.kind);
      }
    }
  }

  async function findPath(event) {
    event.preventDefault();
    const k = Number($('path-k').value) || 1;
    const params = {
      source: $('path-source').value.trim(),
      target: $('path-target').value.trim(),
      from: $('path-from').value.trim(),
      to: $('path-to').value.trim(),
      chronological: $('path-chronological').checked,
      directed: $('directed').checked,
      all: $('path-all').checked,
      k: !$('path-all').checked && k > 1 ? k : '',
      ...selection(),
    };
    const drawn = chartGeneration;
    const answer = await api('path', params);
    if (drawn !== chartGeneration) return;
    if (answer.found === false) {
      say(answer.message);
      return;
    }
    const paths = Array.isArray(answer) ? answer : answer.paths || [answer];
    const edges = new Map();
    for (const p of paths) for (const r of p.edges) edges.set(r.id, r);
    const names = new Set(paths.flatMap((p) => p.nodes));
    const fresh =
      [...names].filter((n) => cy.getElementById(nodeId(n)).empty()).length +
      [...edges.keys()].filter((id) => cy.getElementById('r:' + id).empty()).length;
    if (tooMany(fresh)) return;
    cy.elements().removeClass('onpath');
    for (const r of edges.values()) addRelation(r);
    for (const p of paths) {
      for (const name of p.nodes) cy.getElementById(nodeId(name)).addClass('onpath');
      for (const r of p.edges) cy.getElementById('r:' + r.id).addClass('onpath');
    }
    const hops = paths[0] ? paths[0].hops : 0;
    await fillKinds();
    say(`${paths.length} path${paths.length === 1 ? '' : 's'} of ${hops} hop${hops === 1 ? '' : 's'}: ${paths[0].nodes.join(' → ')}`);
    layout();
  }

  // ----- cards -----

  function definitionList(pairs) {
    const list = document.createElement('dl');
    for (const [term, value] of pairs) {
      if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue;
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = Array.isArray(value) ? value.join(', ') : String(value);
      list.append(dt, dd);
    }
    return list;
  }

  function arrowText(r) {
    const close = symmetric.has(r.type) ? ']-' : ']->';
    return `${r.from} -[${r.type}${r.date ? ' ' + r.date : ''}${close} ${r.to}`;
  }

  async function showEntity(name) {
    renderEntity(await api('entity', { name }));
  }

  function renderEntity(entity) {
    $('card-title').textContent = entity.name;
    const body = $('card-body');
    const pairs = [
      ['kind', entity.kind],
      ['aliases', entity.aliases],
      ...Object.entries(entity.properties || {}),
    ];
    const list = definitionList(pairs);
    const heading = document.createElement('h3');
    heading.textContent = `${entity.relations.length} relation${entity.relations.length === 1 ? '' : 's'}`;
    const items = document.createElement('ul');
    // A hub's card lists its relations a page at a time.
    const more = document.createElement('button');
    more.type = 'button';
    let listed = 0;
    const listMore = () => {
      for (const r of entity.relations.slice(listed, listed + CARD_PAGE)) {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = r.status === 'reported' ? arrowText(r) : `${arrowText(r)} (${r.status})`;
        button.addEventListener('click', () => renderRelation(r));
        item.append(button);
        items.append(item);
      }
      listed = Math.min(entity.relations.length, listed + CARD_PAGE);
      const left = entity.relations.length - listed;
      more.hidden = left === 0;
      more.textContent = `Show ${Math.min(left, CARD_PAGE)} more of ${left}`;
    };
    more.addEventListener('click', listMore);
    listMore();
    const actions = document.createElement('div');
    actions.className = 'row';
    const expandButton = document.createElement('button');
    expandButton.type = 'button';
    expandButton.textContent = 'Expand';
    expandButton.addEventListener('click', () => attempt(() => expand(entity.name)));
    actions.append(expandButton);
    body.replaceChildren(list, actions, heading, items, more);
  }

  async function showRelation(id) {
    renderRelation(await api('relation', { id }));
  }

  function renderRelation(r) {
    $('card-title').textContent = arrowText(r);
    const body = $('card-body');
    const pairs = [
      ['relation', '#' + r.id],
      ['type', r.type],
      ['date', r.date || 'undated'],
      ['status', r.status],
      ['grade', r.grade],
      ['claimed by', r.claimed_by],
      ['source', r.source],
      ...Object.entries(r.properties || {}),
    ];
    const parts = [definitionList(pairs)];
    if (r.quote) {
      const quote = document.createElement('blockquote');
      quote.textContent = r.quote;
      parts.splice(0, 0, quote);
    }
    body.replaceChildren(...parts);
  }

  // ----- the time window -----

  let range = null; // [first, last] day of the dated relations on the chart

  function refreshWindow() {
    const days = [];
    for (const edge of cy.edges()) {
      const s = edge.data('span');
      if (s) for (const d of s) if (Number.isFinite(d)) days.push(d);
    }
    const start = $('window-start');
    const end = $('window-end');
    if (!days.length) {
      range = null;
      start.max = end.max = 0;
      applyWindow();
      return;
    }
    const first = Math.min(...days);
    const last = Math.max(...days);
    const wasWhole = !range || (Number(start.value) === range[0] && Number(end.value) === range[1]);
    range = [first, last];
    for (const input of [start, end]) {
      input.min = first;
      input.max = last;
    }
    if (wasWhole) {
      start.value = first;
      end.value = last;
    }
    applyWindow();
  }

  function applyWindow() {
    const start = $('window-start');
    const end = $('window-end');
    if (Number(start.value) > Number(end.value)) end.value = start.value;
    const lo = Number(start.value);
    const hi = Number(end.value);
    const undated = $('show-undated').checked;
    cy.batch(() => {
      const seen = new Set();
      const touched = new Set();
      for (const edge of cy.edges()) {
        const s = edge.data('span');
        const inside = s ? !range || (s[0] <= hi && s[1] >= lo) : undated;
        if (edge.hasClass('outside') === inside) edge.toggleClass('outside', !inside);
        const ends = [edge.data('source'), edge.data('target')];
        for (const id of ends) touched.add(id);
        if (inside) for (const id of ends) seen.add(id);
      }
      // An actor whose relations are all outside the window goes with them.
      for (const node of cy.nodes()) {
        const out = touched.has(node.id()) && !seen.has(node.id());
        if (node.hasClass('outside') !== out) node.toggleClass('outside', out);
      }
    });
    $('window-label').textContent = range ? `${dayText(lo)} to ${dayText(hi)}` : 'no dated relations';
    drawHistogram(lo, hi);
    describeChart();
  }

  function drawHistogram(lo, hi) {
    const box = $('histogram');
    box.replaceChildren();
    if (!range) return;
    const bins = Math.min(60, Math.max(1, Math.ceil((range[1] - range[0] + 1) / 30)));
    const width = (range[1] - range[0] + 1) / bins;
    const counts = new Array(bins).fill(0);
    for (const edge of cy.edges()) {
      const s = edge.data('span');
      if (!s) continue;
      const day = Number.isFinite(s[0]) ? s[0] : s[1];
      if (!Number.isFinite(day)) continue;
      counts[Math.min(bins - 1, Math.max(0, Math.floor((day - range[0]) / width)))] += 1;
    }
    const most = Math.max(1, ...counts);
    counts.forEach((count, i) => {
      const bar = document.createElement('div');
      bar.style.height = `${(100 * count) / most}%`;
      const binStart = range[0] + i * width;
      if (binStart + width >= lo && binStart <= hi) bar.classList.add('inside');
      bar.title = `${dayText(Math.floor(binStart))}: ${count}`;
      box.append(bar);
    });
  }

  let playing = null;

  function play() {
    const button = $('play');
    if (playing) {
      clearInterval(playing);
      playing = null;
      button.textContent = 'Play';
      button.setAttribute('aria-pressed', 'false');
      return;
    }
    if (!range) return;
    const start = $('window-start');
    const end = $('window-end');
    const whole = range[1] - range[0];
    // The window as chosen, or an eighth of the span when it is the whole span.
    let width = Number(end.value) - Number(start.value);
    if (width >= whole) width = Math.max(30, Math.round(whole / 8));
    const step = Math.max(1, Math.round(width / 2));
    start.value = range[0];
    end.value = range[0] + width;
    applyWindow();
    button.textContent = 'Pause';
    button.setAttribute('aria-pressed', 'true');
    playing = setInterval(() => {
      if (!range || Number(end.value) >= range[1]) {
        play();
        return;
      }
      start.value = Number(start.value) + step;
      end.value = Math.min(range[1], Number(end.value) + step);
      applyWindow();
    }, 700);
  }

  // ----- the list of what is on the chart (the keyboard's way to the chart) -----

  function refreshList() {
    const list = $('on-chart');
    list.replaceChildren();
    const names = cy.nodes().map((n) => n.data('name')).sort((a, b) => a.localeCompare(b));
    for (const name of names) {
      const item = document.createElement('li');
      const label = document.createElement('button');
      label.type = 'button';
      label.className = 'name';
      label.textContent = name;
      label.title = `${kinds.get(name) || ''}: show its card`;
      label.addEventListener('click', () => {
        cy.$(':selected').unselect();
        cy.getElementById(nodeId(name)).select();
        attempt(() => showEntity(name));
      });
      const grow = document.createElement('button');
      grow.type = 'button';
      grow.textContent = 'Expand';
      grow.setAttribute('aria-label', `Expand ${name}`);
      grow.addEventListener('click', () => attempt(() => expand(name)));
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.textContent = '×';
      drop.setAttribute('aria-label', `Remove ${name} from the chart`);
      drop.addEventListener('click', () => {
        cy.getElementById(nodeId(name)).remove();
        refreshWindow();
        refreshList();
      });
      item.append(label, grow, drop);
      list.append(item);
    }
  }

  // ----- Cypher -----

  function cellText(value) {
    if (value === null || value === undefined) return 'null';
    if (typeof value !== 'object') return String(value);
    if (Array.isArray(value)) return '[' + value.map(cellText).join(', ') + ']';
    if ('nodes' in value && 'edges' in value) return value.nodes.join(' → ');
    if ('type' in value && 'from' in value && 'to' in value) return arrowText(value);
    if ('name' in value && 'kind' in value) return value.name;
    return JSON.stringify(value);
  }

  // The actors and relations in a query's value, gathered to be drawn.
  function gather(value, nodes, edges) {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v) => gather(v, nodes, edges));
    } else if ('nodes' in value && 'edges' in value) {
      value.edges.forEach((r) => edges.set(r.id, r));
      value.nodes.forEach((n) => nodes.has(n) || nodes.set(n, undefined));
    } else if ('type' in value && 'from' in value && 'to' in value && 'id' in value) {
      edges.set(value.id, value);
      for (const end of [value.from, value.to]) if (!nodes.has(end)) nodes.set(end, undefined);
    } else if ('name' in value && 'kind' in value) {
      nodes.set(value.name, value.kind);
    }
  }

  async function runQuery(event) {
    if (event) event.preventDefault();
    const drawn = chartGeneration;
    const rows = await api('query', {}, { query: $('query').value });
    const box = $('query-result');
    const table = document.createElement('table');
    const columns = rows.length ? Object.keys(rows[0]) : [];
    const head = table.createTHead().insertRow();
    for (const c of columns) {
      const th = document.createElement('th');
      th.textContent = c;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const c of columns) tr.insertCell().textContent = cellText(row[c]);
    }
    const caption = table.createCaption();
    caption.textContent = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
    box.replaceChildren(table);
    if (drawn !== chartGeneration) return;
    const nodes = new Map();
    const edges = new Map();
    rows.forEach((row) => Object.values(row).forEach((v) => gather(v, nodes, edges)));
    if (!nodes.size && !edges.size) return;
    const fresh = [...nodes.keys()].filter((n) => cy.getElementById(nodeId(n)).empty()).length +
      [...edges.keys()].filter((id) => cy.getElementById('r:' + id).empty()).length;
    if (tooMany(fresh)) return;
    for (const [name, kind] of nodes) addNode(name, kind);
    for (const r of edges.values()) addRelation(r);
    await fillKinds();
    layout();
  }

  // ----- curation (with kg serve --write) -----

  // Splits a command line as kg's shell does: whitespace separates words, 'single
  // quotes' keep everything, "double quotes" keep everything but \" and \\, and a
  // backslash outside quotes keeps the next character.
  function wordsOf(line) {
    const words = [];
    let word = '';
    let inWord = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (/\s/.test(c)) {
        if (inWord) words.push(word);
        word = '';
        inWord = false;
      } else if (c === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) throw new Error('a quote is left open');
        word += line.slice(i + 1, close);
        inWord = true;
        i = close;
      } else if (c === '"') {
        inWord = true;
        for (i += 1; ; i += 1) {
          if (i >= line.length) throw new Error('a quote is left open');
          if (line[i] === '"') break;
          if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i += 1;
          word += line[i];
        }
      } else if (c === '\\' && i + 1 < line.length) {
        word += line[i + 1];
        inWord = true;
        i += 1;
      } else {
        word += c;
        inWord = true;
      }
    }
    if (inWord) words.push(word);
    return words;
  }

  async function write(args, typed) {
    const answer = await api('write', {}, { args });
    const undid = (answer.undid || []).map((w) => `undid write #${w.write} (${w.command}: ${w.did})`);
    const what = undid.length ? undid.join('; ') : typed;
    say(`Done: ${what}. The chart is as it was: search or expand to see the change.`);
    await refreshCounts();
    const selected = cy.$('node:selected');
    if (selected.nonempty()) {
      try {
        await showEntity(selected.data('name'));
      } catch (e) {
        // The write removed or renamed it.
      }
    }
  }

  // ----- exports -----

  async function exportDot() {
    const visible = cy.elements(':visible');
    const dot = await api('dot', {}, {
      relations: visible.edges().map((e) => e.data('rid')),
      entities: visible.nodes().map((n) => n.data('name')),
    });
    download('chart.dot', new Blob([dot], { type: 'text/vnd.graphviz' }));
  }

  // ----- the legend and the filters' choices -----

  // The header's counts and the relation types to choose from, as the database has them.
  async function refreshCounts() {
    const [stats, types] = await Promise.all([api('stats'), api('types')]);
    $('database').textContent = `${server.database}: ${stats.entities} entities, ${stats.relations} relations${server.write ? ' (writes on)' : ''}`;
    const box = $('types');
    const ticked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
    box.querySelectorAll('label').forEach((l) => l.remove());
    for (const t of types) {
      if (t.symmetric) symmetric.add(t.name);
      const label = document.createElement('label');
      label.className = 'check';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.value = t.name;
      input.checked = ticked.has(t.name);
      const text = document.createElement('span');
      text.textContent = `${t.name} (${stats.relation_types[t.name] || 0})`;
      label.append(input, text);
      box.append(label);
    }
    drawLegend($('legend'), stats.kinds);
  }

  async function start() {
    startChart();
    server = await api('server');
    $('curate').hidden = !server.write;
    await refreshCounts();
  }

  // ----- wiring -----

  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('search').value.trim();
    if (text) attempt(() => search(text));
  });
  $('path-form').addEventListener('submit', (event) => attempt(() => findPath(event)));
  $('path-clear').addEventListener('click', () => {
    cy.elements().removeClass('onpath');
    describeChart();
  });
  $('query-form').addEventListener('submit', (event) => attempt(() => runQuery(event)));
  $('query').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) attempt(() => runQuery(event));
  });
  $('write-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => write(wordsOf($('write').value), $('write').value.trim()));
  });
  $('undo').addEventListener('click', () => attempt(() => write(['undo'], 'undo')));
  for (const id of ['window-start', 'window-end', 'show-undated']) $(id).addEventListener('input', applyWindow);
  $('play').addEventListener('click', play);
  $('clear').addEventListener('click', () => {
    chartGeneration += 1;
    if (playing) play();
    cy.elements().remove();
    refreshWindow();
    refreshList();
  });
  const exporting = (what) => () => {
    if (cy.elements(':visible').empty()) {
      say('Nothing on the chart to export: search an actor first.');
      return;
    }
    attempt(what);
  };
  $('export-png').addEventListener('click', exporting(async () => download('chart.png', await cy.png({ output: 'blob-promise', full: true, bg: '#ffffff', scale: 2 }))));
  $('export-svg').addEventListener('click', exporting(async () => download('chart.svg', new Blob([svgOfView(cy)], { type: 'image/svg+xml' }))));
  $('export-dot').addEventListener('click', exporting(exportDot));
  $('toggle-panel').addEventListener('click', () => {
    const open = !$('layout').classList.toggle('panel-closed');
    $('toggle-panel').setAttribute('aria-expanded', String(open));
    cy.resize();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && cy) cy.$(':selected').unselect();
  });

  attempt(start);
})();
