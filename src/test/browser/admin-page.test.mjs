// Loads the /admin operator page in headless Chromium, enters the admin key, checks the last hour's chart,
// the deliveries near the top with their status filter, Retry offered only where it helps (dead or failing
// deliveries, never sent ones), and retries a dead delivery; exits non-zero when anything on the way fails.
// Started by run.sh with BRIDGE_URL, ADMIN_KEY and APPOINTMENT (an appointment whose event was delivered to
// target portal; target broken never answers) in the environment.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.env.BRIDGE_URL;
const adminKey = process.env.ADMIN_KEY;
const appointment = process.env.APPOINTMENT;
const screenshot = process.env.SCREENSHOT || 'target/admin-page.png';
const TIMEOUT = 15_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // No sandbox (CI runs as root) and no background traffic (the machine has no open internet).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
let page;
try {
  page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/401/.test(m.text())) problems.push(`console: ${m.text()}`); });

  const response = await page.goto(`${base}/admin`);
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/admin\/$/, 'GET /admin leads to the page');

  // The admin API is protected, so the page asks for the key before it shows anything.
  await page.locator('#key-form').waitFor({ state: 'visible' });
  await page.fill('#key', adminKey);
  await page.click('#key-form button[type=submit]');
  await page.locator('#key-form').waitFor({ state: 'hidden' });

  // Deliveries come before sources and targets: what an operator looks for first.
  const [deliveriesY, sourcesY] = await Promise.all([y('#deliveries'), y('#sources')]);
  assert.ok(deliveriesY < sourcesY, 'the deliveries table is above the sources table');

  // The chart of the last hour: bars for the events stored and the deliveries sent and failed.
  await assertEventually(async () => (await page.locator('#activity rect.events').count()) > 0, 'event bars drawn');
  await assertEventually(async () => (await page.locator('#activity rect.sent').count()) > 0, 'sent bars drawn');
  await assertEventually(async () => (await page.locator('#activity rect.failed').count()) > 0, 'failed bars drawn');
  assert.match(await page.locator('#activity-totals').innerText(), /last hour: \d+ events, \d+ sent, \d+ failed/);

  // Sources: the polled source with its last result, cursor and finished first sync.
  const source = page.locator('#sources tbody tr[data-source="clinic"]');
  await source.waitFor();
  await assertEventually(async () => /ok/.test(await source.innerText()), 'source clinic shows result ok');
  assert.match(await source.innerText(), /\d{4}-\d\d-\d\dT/, 'source clinic shows its cursor');
  assert.match(await source.innerText(), /done/, 'source clinic shows its first sync done');

  // Targets: health and queue depth.
  const target = page.locator('#targets tbody tr[data-target="portal"]');
  await target.waitFor();
  assert.match(await target.innerText(), /standard/);

  // The delivered event: in the events table and as a sent delivery, with nothing to retry.
  await page.locator('#events tbody tr', { hasText: appointment }).first().waitFor();
  const sent = page.locator('#deliveries tbody tr[data-status="sent"]', { hasText: appointment }).first();
  await sent.waitFor();
  assert.equal(await sent.getByRole('button', { name: 'Retry' }).count(), 0, 'no Retry on a sent delivery');
  assert.equal(await attempts(await sent.getAttribute('data-delivery-id')), 1, 'delivered at the first attempt');

  // The status filter: dead only.
  await page.selectOption('#delivery-status', 'dead');
  await assertEventually(async () => {
    const statuses = await page.locator('#deliveries tbody tr[data-status]').evaluateAll(
      (rows) => rows.map((r) => r.dataset.status));
    return statuses.length > 0 && statuses.every((s) => s === 'dead');
  }, 'the filter shows dead deliveries only');
  const dead = page.locator('#deliveries tbody tr[data-status="dead"]', { hasText: 'broken' }).first();
  const deadId = await dead.getAttribute('data-delivery-id');
  const before = await attempts(deadId);
  assert.equal(before, 2, 'dead after its one retry');
  await page.screenshot({ path: screenshot, fullPage: true });

  // Retry on the dead delivery: queued, attempted again.
  await dead.getByRole('button', { name: 'Retry' }).click();
  await page.locator('#message', { hasText: `Delivery ${deadId} queued again` }).waitFor();
  await assertEventually(async () => (await attempts(deadId)) > before, 'the retried delivery was attempted again');

  assert.deepEqual(problems, [], 'no script errors on the page');
  console.log(`PASS: /admin drew the last hour, listed deliveries first, filtered dead ones, offered Retry only `
    + `where it helps and retried dead delivery ${deadId}; screenshot ${screenshot}`);
} finally {
  await browser.close();
}

async function y(selector) {
  return (await page.locator(selector).boundingBox()).y;
}

async function attempts(id) {
  const res = await fetch(`${base}/admin/deliveries/${id}`, { headers: { 'X-API-Key': adminKey } });
  assert.equal(res.status, 200);
  return (await res.json()).attempt_log.length;
}

async function assertEventually(check, what) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out: ${what}`);
}
