// Loads the /admin operator page in headless Chromium, enters the admin key, finds a delivered event
// and clicks its Retry button; exits non-zero when anything on the way fails. Started by run.sh with
// BRIDGE_URL, ADMIN_KEY and APPOINTMENT (an appointment whose event was delivered) in the environment.
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
try {
  const page = await browser.newPage();
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

  // Sources: the polled source with its last result and cursor.
  const source = page.locator('#sources tbody tr[data-source="clinic"]');
  await source.waitFor();
  await assertEventually(async () => /ok/.test(await source.innerText()), 'source clinic shows result ok');
  assert.match(await source.innerText(), /\d{4}-\d\d-\d\dT/, 'source clinic shows its cursor');

  // Targets: health and queue depth.
  const target = page.locator('#targets tbody tr[data-target="portal"]');
  await target.waitFor();
  assert.match(await target.innerText(), /standard/);

  // The delivered event: in the events table and as a sent delivery.
  await page.locator('#events tbody tr', { hasText: appointment }).first().waitFor();
  const delivery = page.locator('#deliveries tbody tr[data-status="sent"]', { hasText: appointment }).first();
  await delivery.waitFor();
  const deliveryId = await delivery.getAttribute('data-delivery-id');
  const before = await attempts(deliveryId);
  assert.equal(before, 1, 'delivered at the first attempt');

  // Retry: the page says so, and the delivery is sent a second time.
  await delivery.getByRole('button', { name: 'Retry' }).click();
  await page.locator('#message', { hasText: `Delivery ${deliveryId} queued again` }).waitFor();
  await assertEventually(async () => (await attempts(deliveryId)) === 2, 'the retried delivery was attempted again');
  await page.locator(`#deliveries tbody tr[data-delivery-id="${deliveryId}"][data-status="sent"]`,
    { hasText: appointment }).waitFor();

  await page.screenshot({ path: screenshot, fullPage: true });
  assert.deepEqual(problems, [], 'no script errors on the page');
  console.log(`PASS: /admin showed delivery ${deliveryId} of ${appointment} as sent; Retry sent it again`);
} finally {
  await browser.close();
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
