// Operator view over the admin API. Renders with textContent only (no HTML from data), refreshes every
// 5 s, and sends the admin key from sessionStorage when one was entered.
(() => {
  'use strict';
  const REFRESH_MS = 5000;
  const $ = (id) => document.getElementById(id);
  let key = sessionStorage.getItem('bridge-admin-key') || '';

  async function api(path, method = 'GET') {
    const headers = { Accept: 'application/json' };
    if (key) headers['X-API-Key'] = key;
    const res = await fetch(path, { method, headers });
    if (res.status === 401) {
      $('key-form').hidden = false;
      throw new Error('The admin API needs a key');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const detail = (body.errors || []).map((e) => e.msg).join('; ');
      throw new Error(`${method} ${path}: HTTP ${res.status} ${body.message || ''} ${detail}`.trim());
    }
    return body;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function button(label, onClick) {
    const b = el('button', label);
    b.type = 'button';
    b.addEventListener('click', () => act(onClick));
    return b;
  }

  function fill(tableId, rows) {
    const body = $(tableId).querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0) {
      const cols = $(tableId).querySelectorAll('thead th').length;
      const td = el('td', 'none yet', 'muted');
      td.colSpan = cols;
      body.append(el('tr')).firstChild.append(td);
    }
  }

  function tr(cells, attrs = {}) {
    const row = el('tr');
    for (const [k, v] of Object.entries(attrs)) row.dataset[k] = v;
    for (const c of cells) row.append(c instanceof Node ? c : el('td', c ?? ''));
    return row;
  }

  const td = (node) => { const c = el('td'); if (node) c.append(node); return c; };
  const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  const statusCls = { ok: 'ok', sent: 'ok', healthy: 'ok', failed: 'bad', dead: 'bad', disabled: 'bad',
    failing: 'bad', pending: 'warn', degraded: 'warn', skipped: 'muted' };
  const badge = (text) => el('td', text, statusCls[text] || '');

  function sourceRows(sources) {
    return sources.map((s) => tr([
      s.name, time(s.last_poll_at), badge(s.last_result || 'never'),
      (s.mode === 'window' ? s.window : s.cursor) || '', s.last_error || '',
      `${s.polls_ok} / ${s.polls_failed}`, el('td', s.events_total, 'num'),
      td(button('Poll now', async () => {
        const r = await api(`/admin/sources/${encodeURIComponent(s.name)}/poll`, 'POST');
        return `Polled ${s.name}: ${r.records ?? 0} records, ${r.events ?? 0} events`;
      })),
    ], { source: s.name }));
  }

  function targetRows(targets) {
    return targets.map((t) => {
      const actions = el('td');
      if (!t.enabled) {
        actions.append(button('Enable', async () => {
          await api(`/admin/targets/${encodeURIComponent(t.name)}/enable`, 'POST');
          return `Enabled ${t.name}`;
        }));
      }
      actions.append(button('Replay last hour', async () => {
        const since = new Date(Date.now() - 3600_000).toISOString();
        const r = await api(`/admin/targets/${encodeURIComponent(t.name)}/replay?since=${encodeURIComponent(since)}`,
          'POST');
        return `Re-queued ${r.requeued} deliveries to ${t.name}`;
      }));
      const rate = t.success_rate == null ? '' : `${(t.success_rate * 100).toFixed(1)} %`;
      return tr([t.name, t.format, badge(t.enabled ? t.health : 'disabled'), el('td', t.queue_depth, 'num'),
        el('td', rate, 'num'), t.last_error || t.disabled_reason || '', actions], { target: t.name });
    });
  }

  function eventRows(page) {
    return (page.events || []).map((e) => tr([
      el('td', e.event_id, 'num'), e.event_type, e.appointment_id, e.patient_id || '', time(e.timestamp),
      e.source,
    ], { eventId: e.event_id }));
  }

  function deliveryRows(deliveries) {
    return deliveries.map((d) => tr([
      el('td', d.id, 'num'), el('td', d.event_id, 'num'), d.event_type, d.appointment_id, d.target,
      badge(d.status), el('td', d.attempts, 'num'),
      d.last_status_code != null ? `HTTP ${d.last_status_code}` : (d.last_error || ''),
      td(d.status === 'skipped' ? null : button('Retry', async () => {
        await api(`/admin/deliveries/${d.id}/retry`, 'POST');
        return `Delivery ${d.id} queued again`;
      })),
    ], { deliveryId: d.id, status: d.status }));
  }

  async function refresh() {
    try {
      const [sources, targets, events, deliveries] = await Promise.all([
        api('/admin/sources'), api('/admin/targets'), api('/admin/events?limit=20'),
        api('/admin/deliveries?limit=20'),
      ]);
      fill('sources', sourceRows(sources));
      fill('targets', targetRows(targets));
      fill('events', eventRows(events));
      fill('deliveries', deliveryRows(deliveries));
      $('key-form').hidden = true;
      $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      $('updated').textContent = e.message;
    }
  }

  async function act(action) {
    try {
      $('message').textContent = await action();
    } catch (e) {
      $('message').textContent = e.message;
    }
    await refresh();
  }

  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    key = $('key').value;
    sessionStorage.setItem('bridge-admin-key', key);
    refresh();
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
