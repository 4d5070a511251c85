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
    failing: 'bad', pending: 'warn', retrying: 'warn', degraded: 'warn', skipped: 'muted' };
  const badge = (text) => el('td', text, statusCls[text] || '');

  // Snapshots seen per source at the last refresh, for the first sync's rate.
  const lastSnapshots = new Map();

  function firstSync(s) {
    const before = lastSnapshots.get(s.name);
    lastSnapshots.set(s.name, { count: s.snapshots, at: Date.now() });
    if (s.baseline_done) return el('td', 'done', 'ok');
    const rate = before ? ((s.snapshots - before.count) * 1000) / Math.max(1, Date.now() - before.at) : null;
    const text = `${s.snapshots} records` + (rate != null ? `, ${rate.toFixed(1)}/s` : '')
      + (s.last_result === 'failed' ? ', stopped (see last error)' : ', in progress');
    return el('td', text, 'warn');
  }

  function sourceRows(sources) {
    return sources.map((s) => tr([
      s.name, time(s.last_poll_at), badge(s.last_result || 'never'),
      (s.mode === 'window' ? s.window
        : [s.cursor, s.reconcile && s.reconcile !== 'off' ? `sweep: ${s.reconcile}` : ''].filter(Boolean).join(' · ')) || '',
      time(s.complete_through), firstSync(s), s.last_error || '',
      `${s.polls_ok} / ${s.polls_failed}`, el('td', s.events_total, 'num'),
      sourceActions(s),
    ], { source: s.name }));
  }

  function sourceActions(s) {
    const cell = td(button('Poll now', async () => {
      const r = await api(`/admin/sources/${encodeURIComponent(s.name)}/poll`, 'POST');
      return `Polled ${s.name}: ${r.records ?? 0} records, ${r.events ?? 0} events`;
    }));
    if (s.pending_removals > 0) {
      // Absences a scan could not conclude by itself: cancelled only when an operator says so.
      cell.append(button(`Confirm ${s.pending_removals} removals`, async () => {
        if (!window.confirm(`Cancel ${s.pending_removals} appointments of ${s.name} that its scans no longer list?`)) {
          return 'Nothing confirmed';
        }
        const r = await api(`/admin/sources/${encodeURIComponent(s.name)}/removals/confirm?through=`
          + encodeURIComponent(s.pending_removals_through), 'POST');
        return `Confirmed ${r.records ?? 0} removals of ${s.name}: ${r.events ?? 0} events`;
      }));
    }
    return cell;
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

  // Retry is offered where it helps: a dead delivery, or a pending one whose last attempt failed.
  const retryable = (d) => d.status === 'dead' || (d.status === 'pending' && d.attempts > 0);

  function deliveryRows(deliveries) {
    return deliveries.map((d) => {
      const shown = d.status === 'pending' && d.attempts > 0 ? 'retrying' : d.status;
      return tr([
        el('td', d.id, 'num'), el('td', d.event_id, 'num'), d.event_type, d.appointment_id, d.target,
        el('td', shown, statusCls[shown] || ''), el('td', d.attempts, 'num'),
        d.last_status_code != null ? `HTTP ${d.last_status_code}` : (d.last_error || ''),
        d.status === 'pending' ? time(d.next_attempt_at) : '',
        td(retryable(d) ? button('Retry', async () => {
          await api(`/admin/deliveries/${d.id}/retry`, 'POST');
          return `Delivery ${d.id} queued again`;
        }) : null),
      ], { deliveryId: d.id, status: d.status });
    });
  }

  const SVG = 'http://www.w3.org/2000/svg';

  // Three thin bars per minute (events, sent, failed), scaled to the busiest minute; drawn as SVG elements.
  function chart(activity) {
    const svg = $('activity');
    const minutes = activity.minutes || [];
    const max = Math.max(1, ...minutes.flatMap((m) => [m.events, m.sent, m.failed]));
    const slot = 600 / Math.max(1, minutes.length);
    const bars = [];
    minutes.forEach((m, i) => {
      [['events', m.events], ['sent', m.sent], ['failed', m.failed]].forEach(([kind, n], k) => {
        if (n === 0) return;
        const r = document.createElementNS(SVG, 'rect');
        const h = Math.max(1, (n / max) * 100);
        r.setAttribute('x', (i * slot + k * (slot / 3)).toFixed(2));
        r.setAttribute('y', (105 - h).toFixed(2));
        r.setAttribute('width', (slot / 3 - 0.5).toFixed(2));
        r.setAttribute('height', h.toFixed(2));
        r.setAttribute('class', kind);
        const title = document.createElementNS(SVG, 'title');
        title.textContent = `${new Date(m.minute).toLocaleTimeString()}: ${n} ${kind}`;
        r.append(title);
        bars.push(r);
      });
    });
    const axis = document.createElementNS(SVG, 'line');
    Object.entries({ x1: 0, y1: 105.5, x2: 600, y2: 105.5, class: 'axis' }).forEach(([k, v]) => axis.setAttribute(k, v));
    svg.replaceChildren(axis, ...bars);
    const sum = (k) => minutes.reduce((a, m) => a + m[k], 0);
    $('activity-totals').textContent = `(last hour: ${sum('events')} events, ${sum('sent')} sent, ${sum('failed')} failed;`
      + ` busiest minute ${max})`;
  }

  // One line: how many replicas are live, and a warning when they are configured differently.
  function replicaLine(replicas) {
    const live = replicas.filter((r) => r.live);
    const prints = new Set(live.map((r) => r.fingerprint));
    const line = $('replicas');
    if (prints.size > 1) {
      line.className = 'bad';
      line.textContent = `Replicas disagree: ${live.length} live with ${prints.size} configurations (`
        + live.map((r) => `${r.instance} ${r.version}: targets ${r.targets.join(', ') || 'none'}`).join('; ') + ')';
    } else {
      line.className = 'muted';
      line.textContent = `${live.length} live replica${live.length === 1 ? '' : 's'}`
        + (live.length ? `, ${live[0].version}` : '');
    }
  }

  async function refresh() {
    try {
      const status = $('delivery-status').value;
      const [sources, targets, events, deliveries, activity, replicas] = await Promise.all([
        api('/admin/sources'), api('/admin/targets'), api('/webhook/events?limit=20'),
        api(`/admin/deliveries?limit=20${status ? `&status=${encodeURIComponent(status)}` : ''}`),
        api('/admin/activity'), api('/admin/replicas'),
      ]);
      replicaLine(replicas);
      chart(activity);
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

  $('delivery-status').addEventListener('change', refresh);
  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    key = $('key').value;
    sessionStorage.setItem('bridge-admin-key', key);
    refresh();
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
