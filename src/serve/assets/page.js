// The review page. Every text from the files is put in the page with textContent (through el()),
// never as HTML, so a sentence can contain any markup and it is shown, not run.
'use strict';

const REASONS = {
  repetition: 'the English repeats words or phrases (the model looped)',
  'too-short': 'the English is much shorter than the Indonesian: something may be missing',
  'too-long': 'the English is much longer than the Indonesian',
  untranslated: 'the English is mostly the Indonesian copied',
  'lost-span': 'a link, number, code or name of the Indonesian is missing from the English',
};

const state = {
  files: [],
  view: null, // the open file: { name, blocks }
  rows: [], // sentence rows of the open file, in order: { b, s, el, sentence }
  current: -1,
  editing: null, // { row, textarea, base, conflict }
  flaggedOnly: false,
  query: '',
};

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.className = kind || '';
}

async function api(path, options) {
  const res = await fetch(path, { credentials: 'same-origin', ...options });
  let body;
  try {
    body = await res.json();
  } catch {
    body = { error: `the server answered ${res.status} without JSON` };
  }
  if (!res.ok) {
    const err = new Error(body.error || `HTTP ${res.status}`);
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

const isFlagged = (sentence) => sentence.flags.length > 0 || sentence.error !== undefined;
const plural = (n, one, many) => `${n} ${n === 1 ? one : many || one + 's'}`;

// ------------------------------------------------------------------ file list

async function loadFiles() {
  const data = await api('/api/files');
  state.files = data.files;
  $('folder').textContent = data.folder;
  renderFiles();
}

function renderFiles() {
  const list = $('files');
  list.replaceChildren();
  const shown = state.files.filter((f) => !state.flaggedOnly || f.flagged > 0 || f.failed > 0);
  for (const f of shown) {
    const meta = el('div', { class: 'meta' },
      el('span', { class: `badge ${f.status === 'failed' ? 'failed' : ''}` }, f.status === 'skipped' ? 'done' : f.status),
      el('span', {}, plural(f.sentences, 'sentence')),
      f.flagged > 0 ? el('span', { class: 'badge flagged', title: Object.entries(f.flags).map(([k, n]) => `${k}: ${n}`).join(', ') }, `⚠ ${f.flagged} flagged`) : null,
      f.failed > 0 ? el('span', { class: 'badge failed' }, `✗ ${f.failed} failed`) : null,
      f.reviewed > 0 ? el('span', { class: 'badge reviewed' }, `✓ ${f.reviewed} reviewed`) : null,
    );
    const item = el('li', {
      'data-name': f.name,
      tabindex: 0,
      'aria-current': state.view && state.view.name === f.name ? 'true' : 'false',
      onclick: () => openFile(f.name),
      onkeydown: (e) => { if (e.key === 'Enter') openFile(f.name); },
    }, el('div', { class: 'name' }, f.name), meta, f.problem ? el('div', { class: 'muted' }, f.problem) : null);
    list.append(item);
  }
  if (shown.length === 0) list.append(el('li', { class: 'muted' }, state.flaggedOnly ? 'No file has flagged sentences.' : 'No translated files in this folder.'));
}

// ------------------------------------------------------------------ one file

async function openFile(name, focus) {
  if (!confirmLeaveEdit()) return;
  try {
    state.view = await api(`/api/file?name=${encodeURIComponent(name)}`);
  } catch (err) {
    setStatus(err.message, 'error');
    return;
  }
  history.replaceState(null, '', `#file=${encodeURIComponent(name)}`);
  state.query = '';
  $('search').value = '';
  renderFile();
  renderFiles();
  let at = focus ? state.rows.findIndex((r) => r.b === focus.b && r.s === focus.s) : -1;
  if (at < 0) at = state.rows.length > 0 ? 0 : -1;
  setCurrent(at);
}

function renderFile() {
  const view = $('view');
  const v = state.view;
  state.rows = [];
  state.current = -1;
  state.editing = null;
  const all = v.blocks.flatMap((b) => b.sentences || []);
  const flagged = all.filter(isFlagged).length;
  const head = el('div', {},
    el('h2', {}, v.name),
    el('p', { class: 'muted' }, `${plural(all.length, 'sentence')}, ${flagged} flagged or failed` + (state.flaggedOnly ? ' — showing flagged only' : '') + ` · outputs: ${v.formats.join(', ')}`),
  );
  const body = el('div', { id: 'rows' });
  for (const block of v.blocks) {
    if (block.verbatim !== undefined) {
      if (!state.flaggedOnly) body.append(el('div', { class: 'verbatim', title: `${block.kind}, not translated` }, block.verbatim));
      continue;
    }
    for (const sentence of block.sentences) {
      if (state.flaggedOnly && !isFlagged(sentence)) continue;
      const row = { b: block.b, s: sentence.s, sentence, el: null, kind: block.kind, bullet: sentence.s === 0 ? block.bullet : undefined };
      row.el = renderRow(row);
      state.rows.push(row);
      body.append(row.el);
    }
  }
  view.replaceChildren(head, body);
}

/** Render the open file again (a filter changed), staying on the same sentence when it is still shown. */
function rerender() {
  const cur = state.rows[state.current];
  renderFile();
  const at = cur ? state.rows.findIndex((r) => r.b === cur.b && r.s === cur.s) : -1;
  setCurrent(at >= 0 ? at : 0);
}

function renderRow(row) {
  const s = row.sentence;
  const classes = ['row', row.kind, s.flags.length > 0 ? 'flagged' : '', s.error !== undefined ? 'failed' : ''].filter(Boolean).join(' ');
  const en = s.error !== undefined ? `[translation failed: ${s.error}]` : s.target;
  const e = el('div', {
    class: classes,
    'data-b': row.b,
    'data-s': row.s,
    onclick: () => setCurrent(state.rows.indexOf(row)),
    ondblclick: () => startEdit(),
  },
    el('div', { class: 'id', lang: 'id' }, row.bullet ? el('span', { class: 'bullet' }, row.bullet) : null, s.source),
    el('div', { class: 'en', lang: 'en' }, en),
    s.flags.length > 0 ? el('div', { class: 'why' }, s.flags.map((f) => `⚠ ${f}: ${REASONS[f] || f}`).join(' · ')) : null,
    s.reviewed !== undefined ? el('div', { class: 'done' }, `✓ reviewed ${new Date(s.reviewed).toLocaleString()}`) : null,
    !s.editable ? el('div', { class: 'why' }, 'not editable: this block does not split into sentences cleanly') : null,
  );
  return e;
}

function setCurrent(i) {
  if (i < 0 || i >= state.rows.length) return;
  if (state.editing && state.editing.row !== state.rows[i]) return;
  const old = state.rows[state.current];
  if (old) old.el.classList.remove('current');
  state.current = i;
  const row = state.rows[i];
  row.el.classList.add('current');
  row.el.scrollIntoView({ block: 'nearest' });
}

function step(direction, onlyFlagged) {
  for (let i = state.current + direction; i >= 0 && i < state.rows.length; i += direction) {
    if (!onlyFlagged || isFlagged(state.rows[i].sentence)) {
      setCurrent(i);
      return;
    }
  }
  setStatus(onlyFlagged ? `No ${direction > 0 ? 'further' : 'earlier'} flagged sentence in this file.` : '', '');
}

// ------------------------------------------------------------------ editing

function sharedNote(s) {
  if (s.shared.sentences <= 1) return 'This Indonesian sentence occurs only here.';
  return `This Indonesian sentence occurs ${plural(s.shared.sentences, 'time')} in ${plural(s.shared.files, 'file')}: saving changes the English of all of them.`;
}

function startEdit() {
  const row = state.rows[state.current];
  if (!row || state.editing) return;
  if (!row.sentence.editable) {
    setStatus('This sentence cannot be edited here.', 'error');
    return;
  }
  const s = row.sentence;
  const textarea = el('textarea', { 'aria-label': 'English', lang: 'en' });
  textarea.value = s.error !== undefined ? '' : s.target;
  const conflict = el('div', { class: 'conflict', hidden: true });
  const editor = el('div', { class: 'editor' },
    textarea,
    el('div', { class: 'shared' }, sharedNote(s)),
    conflict,
    el('div', { class: 'buttons' },
      el('button', { type: 'button', class: 'save', onclick: () => save() }, 'Save (Ctrl+Enter)'),
      el('button', { type: 'button', class: 'cancel', onclick: () => cancelEdit() }, 'Cancel (Esc)'),
    ),
  );
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      cancelEdit();
    }
  });
  row.el.append(editor);
  state.editing = { row, textarea, editor, conflict, base: s.target };
  textarea.focus();
  textarea.select();
}

function cancelEdit() {
  const ed = state.editing;
  if (!ed) return;
  ed.editor.remove();
  state.editing = null;
  setStatus('Edit cancelled.', '');
}

function confirmLeaveEdit() {
  if (!state.editing) return true;
  const changed = state.editing.textarea.value !== state.editing.base;
  if (changed && !window.confirm('Discard the edit you have not saved?')) return false;
  cancelEdit();
  return true;
}

async function save() {
  const ed = state.editing;
  if (!ed || ed.saving) return;
  const { row } = ed;
  const s = row.sentence;
  ed.saving = true;
  setStatus('Saving…', '');
  try {
    const r = await api('/api/save', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: state.view.name, block: row.b, segment: row.s, source: s.source, base: ed.base, target: ed.textarea.value }),
    });
    Object.assign(s, { target: r.target, reviewed: r.reviewed, flags: [] });
    delete s.error;
    const fresh = renderRow(row);
    row.el.replaceWith(fresh);
    row.el = fresh;
    state.editing = null;
    setCurrent(state.current);
    const where = r.files.length > 1 ? ` in ${plural(r.files.length, 'file')}` : '';
    const failed = r.failures.length > 0 ? ` Not rewritten: ${r.failures.join('; ')}` : '';
    setStatus(`Saved: ${plural(r.sentences, 'sentence')} changed${where}; every output rewritten.${failed}`, r.failures.length > 0 ? 'error' : 'ok');
    loadFiles().catch(() => undefined);
  } catch (err) {
    ed.saving = false;
    setStatus(err.message, 'error');
    if (err.body && err.body.reason === 'conflict') {
      // Keep the person's text; show what is there now, and let a second save replace it deliberately.
      ed.base = err.body.current;
      ed.conflict.hidden = false;
      ed.conflict.textContent = `Now: ${err.body.current}\nSave again to replace it with your text, or Esc to keep it.`;
    }
    return;
  }
}

// ------------------------------------------------------------------ search

let searchTimer;
function onSearch() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 200);
}

async function runSearch() {
  const q = $('search').value.trim();
  state.query = q;
  if (q === '') {
    if (state.view) rerender();
    else $('view').replaceChildren(el('p', { class: 'muted' }, 'Choose a file on the left.'));
    return;
  }
  if (!confirmLeaveEdit()) return;
  let data;
  try {
    data = await api(`/api/search?q=${encodeURIComponent(q)}`);
  } catch (err) {
    setStatus(err.message, 'error');
    return;
  }
  if (state.query !== q) return;
  state.rows = [];
  state.current = -1;
  const list = el('ul', { class: 'hits' });
  for (const h of data.hits) {
    list.append(el('li', { class: 'row', onclick: () => openFile(h.name, { b: h.b, s: h.s }) },
      el('div', { class: 'file' }, h.name),
      el('div', { class: 'id', lang: 'id' }, h.source),
      el('div', { class: 'en', lang: 'en' }, h.target),
    ));
  }
  $('view').replaceChildren(
    el('h2', {}, `Search: ${q}`),
    el('p', { class: 'muted' }, `${plural(data.hits.length, 'sentence')}${data.truncated ? ' (first ones only; narrow the search)' : ''} — click one to open it`),
    list,
  );
}

// ------------------------------------------------------------------ keys and start

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t instanceof HTMLTextAreaElement || (t instanceof HTMLInputElement && t.type !== 'checkbox')) {
    if (e.key === 'Escape' && t === $('search')) t.blur();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = {
    j: () => step(1, false), ArrowDown: () => step(1, false),
    k: () => step(-1, false), ArrowUp: () => step(-1, false),
    n: () => step(1, true), p: () => step(-1, true),
    e: startEdit, Enter: startEdit,
    Escape: cancelEdit,
    '/': () => $('search').focus(),
  };
  const action = keys[e.key];
  if (action && !(e.key === 'Enter' && t instanceof HTMLLIElement)) {
    e.preventDefault();
    action();
  }
});

window.addEventListener('DOMContentLoaded', async () => {
  $('search').addEventListener('input', onSearch);
  $('flagged-only').addEventListener('change', (e) => {
    state.flaggedOnly = e.target.checked;
    renderFiles();
    if (state.view && state.query === '' && confirmLeaveEdit()) rerender();
  });
  try {
    await loadFiles();
  } catch (err) {
    setStatus(err.message, 'error');
    return;
  }
  const m = /^#file=(.*)$/.exec(location.hash);
  if (m) await openFile(decodeURIComponent(m[1]));
});
