// What a citizen does, in a real browser against the real gateway and
// services: find the organization, file a general complaint (anonymous and
// named) or a corruption report, keep the tracking code, follow the case,
// add information, reopen and rate it, read the public statistics. Staff
// steps in between go through the same HTTP API with the seeded keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  SEED,
  apiAs,
  baseUrl,
  expectNoSeriousAxeViolations,
  openPage,
  screenshot,
  takePageProblems,
} from './support.mjs';

const ORG = SEED.organizations[0];

// Markup and script in every text field: it must show as text, run nothing.
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

// The tracking-code alphabet and its mod-37 check, from the API's
// documentation (Crockford base 32), written apart from the page's code.
const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U';
function checkSymbol(data) {
  let remainder = 0;
  for (const c of data) remainder = (remainder * 32 + SYMBOLS.indexOf(c)) % 37;
  return SYMBOLS[remainder];
}

// The complaint staff see for a subject only this test used.
async function complaintWithSubject(subject) {
  const listed = await apiAs('OPERATOR', 'GET', `/v1/organizations/${ORG.code}/complaints?page_size=1000`);
  const found = (listed.complaints ?? []).filter((c) => c.subject === subject);
  assert.equal(found.length, 1, `complaints with subject ${subject}`);
  return found[0];
}

async function transition(name, target_state, extra = {}) {
  return apiAs('OPERATOR', 'POST', `/v1/${name}:transition`, {
    target_state,
    note: `ขั้นตอน ${target_state}`,
    ...extra,
  });
}

// Home: search the directory and follow the organization's link.
async function openFormFromHome(linkName) {
  const opened = await openPage('/');
  const { page } = opened;
  await page.getByLabel('ค้นหาองค์กรปกครองส่วนท้องถิ่นของท่าน').fill('อีสานเขต');
  const card = page.locator('.card', { hasText: ORG.name });
  await card.waitFor();
  assert.match(await card.innerText(), new RegExp(ORG.province));
  await card.getByRole('link', { name: linkName }).click();
  await page.getByRole('button', { name: /^ส่ง/ }).waitFor();
  return opened;
}

// The code the page shows once; checks its form and check symbol.
async function shownTrackingCode(page) {
  const code = (await page.locator('#tracking-code').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]$/);
  const symbols = code.replace(/-/g, '');
  assert.equal(symbols[16], checkSymbol(symbols.slice(0, 16)), 'check symbol of the shown code');
  return code;
}

test('an anonymous general complaint: filed from the directory, code shown once, guarded, copied', async () => {
  const { page, context } = await openFormFromHome('ร้องเรียน/ร้องทุกข์');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-file-general');

  const subject = `ไฟฟ้าส่องสว่างดับ ${randomUUID().slice(0, 8)}`;
  await page.getByLabel('ประเภทเรื่อง').selectOption({ label: 'ไฟฟ้าส่องสว่าง' });
  await page.getByLabel("เรื่อง (จำเป็น)", { exact: true }).fill(subject);
  await page.getByLabel('รายละเอียด').fill('ไฟดับทั้งซอยมาสามคืนแล้ว');
  await page.getByLabel('สถานที่').fill('ซอยข้างวัด');
  await page.getByLabel('หมู่บ้าน / หมู่ที่').fill('หมู่ที่ ๕');
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  await page.locator('#tracking-code').waitFor();
  const code = await shownTrackingCode(page);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-tracking-code');

  // Leaving before confirming the code is noted asks first.
  let asked = null;
  page.once('dialog', async (dialog) => {
    asked = dialog.message();
    await dialog.dismiss();
  });
  await page.getByRole('link', { name: 'ไปหน้าติดตามเรื่อง' }).click();
  assert.match(asked ?? '', /รหัสติดตาม/);
  assert.equal(new URL(page.url()).pathname, '/complaints/new', 'dismissing the warning stays');
  assert.equal(await shownTrackingCode(page), code);

  await page.getByRole('button', { name: 'คัดลอกรหัส' }).click();
  await page.getByText('คัดลอกแล้ว').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);

  await page.getByLabel('ข้าพเจ้าได้จดหรือบันทึกรหัสติดตามแล้ว').check();
  await page.getByRole('link', { name: 'ไปหน้าติดตามเรื่อง' }).click();
  await page.getByLabel('รหัสติดตาม').waitFor();
  assert.equal(new URL(page.url()).pathname, '/track');
  assert.ok(!page.url().includes(code.replace(/-/g, '')), 'the code is never in a URL');

  const filed = await complaintWithSubject(subject);
  assert.equal(filed.kind, 'GENERAL');
  assert.equal(filed.channel, 'WEBSITE');
  assert.equal(filed.category, `organizations/${ORG.code}/categories/lights`);
  assert.equal(filed.place.village, 'หมู่ที่ ๕');
  assert.equal(filed.has_complainant_identity ?? false, false);
});

test('a named general complaint keeps the identity off every page and out of the register', async () => {
  const { page } = await openFormFromHome('ร้องเรียน/ร้องทุกข์');
  const subject = `ถนนเป็นหลุม ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("เรื่อง (จำเป็น)", { exact: true }).fill(subject);
  await page.getByLabel('รายละเอียด').fill('หลุมลึกหน้าตลาด');
  await page.getByLabel('ระบุชื่อและช่องทางติดต่อ').check();
  await page.getByLabel('ชื่อ-นามสกุล').fill('สมหญิง ใจดี');
  await page.getByLabel('ช่องทางติดต่อกลับ').fill('081-234-5678');
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  const code = await shownTrackingCode(page);
  assert.ok(!(await page.locator('main').innerText()).includes('สมหญิง'));

  const filed = await complaintWithSubject(subject);
  assert.equal(filed.has_complainant_identity, true);
  assert.ok(!JSON.stringify(filed).includes('สมหญิง'), 'staff see that an identity is held, not what');

  const { page: tracking } = await openPage('/track');
  await tracking.getByLabel('รหัสติดตาม').fill(code);
  await tracking.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  await tracking.locator('.case').waitFor();
  const shown = await tracking.locator('.case').innerText();
  assert.match(shown, new RegExp(subject));
  assert.ok(!shown.includes('สมหญิง') && !shown.includes('081-234-5678'));
});

test('a corruption report goes through the separate protected form', async () => {
  const { page } = await openFormFromHome('แจ้งเบาะแสการทุจริต');
  assert.match(await page.locator('h1').innerText(), /ทุจริต/);
  assert.match(await page.locator('.privacy').innerText(), /เจ้าหน้าที่ผู้รับผิดชอบด้านความซื่อตรง/);
  assert.equal(await page.getByLabel('ประเภทเรื่อง').count(), 0, 'no general category on this form');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-file-corruption');

  const subject = `เรียกรับเงินค่าอนุญาต ${randomUUID().slice(0, 8)}`;
  await page.getByLabel('เรื่องที่แจ้ง').fill(subject);
  await page.getByLabel('รายละเอียด').fill('เจ้าหน้าที่เรียกเงินเพิ่มเพื่อเร่งใบอนุญาต');
  await page.getByLabel('ชื่อผู้ถูกกล่าวหา (ถ้าทราบ)').fill('นายสมมติ ตัวอย่าง');
  await page.getByLabel('ตำแหน่งของผู้ถูกกล่าวหา (ถ้าทราบ)').fill('นายช่างโยธา');
  await page.getByLabel('พยานหลักฐานหรือพยานบุคคล').fill('ใบเสร็จที่ไม่มีเลขที่');
  await page.getByRole('button', { name: 'ส่งเรื่องแจ้งเบาะแส' }).click();
  await shownTrackingCode(page);

  const filed = await apiAs('INTEGRITY_OFFICER', 'GET', `/v1/organizations/${ORG.code}/complaints?kind=CORRUPTION&page_size=1000`)
    .then((listed) => listed.complaints.find((c) => c.subject === subject));
  assert.ok(filed, 'the integrity officer sees the report');
  assert.equal(filed.kind, 'CORRUPTION');
  assert.equal(filed.has_accused_identity, true);
  assert.equal(filed.has_complainant_identity ?? false, false);
  assert.equal(filed.evidence, 'ใบเสร็จที่ไม่มีเลขที่');
});

test('a refused field is marked next to it and nothing typed is lost', async () => {
  const { page } = await openPage(`/complaints/new?org=${ORG.code}`);
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  const subjectField = page.locator('.field[data-field="complaint.subject"]');
  assert.match(await subjectField.locator('.field-error').innerText(), /กรุณากรอกเรื่อง/);

  await page.getByLabel("เรื่อง (จำเป็น)", { exact: true }).fill('ตำแหน่งผิด');
  await page.getByLabel('รายละเอียด').fill('รายละเอียดที่พิมพ์ไว้ยาว ๆ');
  // Thai digits are accepted; 95 is not a latitude the service takes.
  await page.getByLabel('ละติจูด').fill('๙๕');
  await page.getByLabel('ลองจิจูด').fill('104.1');
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  const latitude = page.locator('.field[data-field="complaint.place.latitude"]');
  await latitude.locator('.field-error').waitFor({ state: 'visible' });
  assert.equal(await latitude.locator('input').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('รายละเอียด').inputValue(), 'รายละเอียดที่พิมพ์ไว้ยาว ๆ');
  assert.equal(await page.locator('#tracking-code').count(), 0);
  // Chromium logs the refused call; it is the only problem the page had.
  const problems = takePageProblems(page);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /status of 400 .*\/complaints/);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-field-error');
});

test('following a case: a mistyped code is caught on the page; add, reopen, rate', async () => {
  const subject = `ขยะไม่ได้จัดเก็บ ${randomUUID().slice(0, 8)}`;
  // Filed by phone through the desk (the citizen's own filings are limited
  // per client: the browser tests file enough of those).
  const filedNow = await apiAs('OPERATOR', 'POST', `/v1/organizations/${ORG.code}/complaints`, {
    complaint: { kind: 'GENERAL', channel: 'PHONE', subject, description: 'สามสัปดาห์แล้ว' },
  });
  const code = filedNow.tracking_code;
  const complaint = (await complaintWithSubject(subject)).name;

  const { page } = await openPage('/track');
  const lookups = [];
  page.on('request', (request) => {
    if (request.url().includes('/v1/complaints:track')) lookups.push(request);
  });
  const symbols = code.replace(/-/g, '');
  const swapped = symbols.slice(0, 3) + symbols[4] + symbols[3] + symbols.slice(5);
  const mistyped = symbols[3] === symbols[4] ? symbols.slice(0, 16) + (symbols[16] === '0' ? '1' : '0') : swapped;
  await page.getByLabel('รหัสติดตาม').fill(mistyped);
  await page.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  assert.match(await page.locator('.field[data-field="tracking_code"] .field-error').innerText(), /รหัสพิมพ์ผิด/);
  assert.equal(lookups.length, 0, 'a mistyped code is never looked up');

  await page.getByLabel('รหัสติดตาม').fill(code.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  await page.locator('.case').waitFor();
  assert.equal(lookups.length, 1);
  assert.equal(lookups[0].url().includes(symbols), false, 'the code is POSTed, not in the URL');
  assert.match(await page.locator('.summary').innerText(), /รับเรื่องแล้ว/);

  await page.getByLabel('ข้อมูลเพิ่มเติม').fill(HOSTILE);
  await page.getByRole('button', { name: 'ส่งข้อมูลเพิ่มเติม' }).click();
  await page.locator('.reply.mine').waitFor();
  assert.equal(await page.locator('.reply.mine .text').innerText(), HOSTILE, 'hostile text shows as text');

  // Staff acknowledge, work and resolve it.
  await transition(complaint, 'ACKNOWLEDGED');
  await transition(complaint, 'IN_PROGRESS');
  await transition(complaint, 'RESOLVED', { resolution: 'เก็บขยะแล้ว และเพิ่มรอบเก็บ' });

  await page.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  await page.getByRole('heading', { name: 'ประเมินผลการดำเนินการ' }).waitFor();
  assert.match(await page.locator('.summary').innerText(), /เก็บขยะแล้ว/);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-track-resolved');

  await page.getByRole('button', { name: 'ขอให้ดำเนินการใหม่' }).click();
  assert.match(await page.locator('.field[data-field="reopen_reason"] .field-error').innerText(), /เหตุผล/);
  await page.getByLabel('เหตุผลที่ขอให้ดำเนินการใหม่').fill('ยังมีขยะค้างที่ท้ายซอย');
  await page.getByRole('button', { name: 'ขอให้ดำเนินการใหม่' }).click();
  await page.getByText('อยู่ระหว่างดำเนินการ').waitFor();
  assert.match(await page.locator('.summary').innerText(), /ขอให้ดำเนินการใหม่\s*1 ครั้ง/);
  assert.equal((await apiAs('OPERATOR', 'GET', `/v1/${complaint}`)).reopen_count, 1);

  await transition(complaint, 'RESOLVED', { resolution: 'เก็บท้ายซอยแล้ว' });
  await page.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  await page.getByRole('heading', { name: 'ประเมินผลการดำเนินการ' }).waitFor();
  await page.getByLabel('4 พอใจ').check();
  await page.getByRole('button', { name: 'ส่งผลประเมินและปิดเรื่อง' }).click();
  await page.getByText('ปิดเรื่องแล้ว').waitFor();
  assert.match(await page.locator('.summary').innerText(), /4 จาก 5/);
  const closed = await apiAs('OPERATOR', 'GET', `/v1/${complaint}`);
  assert.equal(closed.state, 'CLOSED');
  assert.equal(closed.satisfaction, 4);
});

test('hostile text in every field of a filing is stored as typed and rendered inert', async () => {
  const { page } = await openPage(`/complaints/new?org=${ORG.code}`);
  const subject = `${HOSTILE} ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("เรื่อง (จำเป็น)", { exact: true }).fill(subject);
  for (const label of ['รายละเอียด', 'สถานที่', 'หมู่บ้าน / หมู่ที่', 'ตำบล', 'สิ่งที่ต้องการให้ดำเนินการ']) {
    await page.getByLabel(label).fill(HOSTILE);
  }
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  const code = await shownTrackingCode(page);
  await page.getByLabel('ข้าพเจ้าได้จดหรือบันทึกรหัสติดตามแล้ว').check();

  const filed = await complaintWithSubject(subject);
  assert.equal(filed.description, HOSTILE);
  assert.equal(filed.place.subdistrict, HOSTILE);

  const { page: tracking } = await openPage('/track');
  await tracking.getByLabel('รหัสติดตาม').fill(code);
  await tracking.getByRole('button', { name: 'ติดตามเรื่อง' }).click();
  await tracking.locator('.case').waitFor();
  assert.equal(await tracking.locator('#case-heading').innerText(), subject);
  assert.equal(await tracking.locator('main img, main script').count(), 0, 'no element came from the text');
  assert.equal(await tracking.evaluate(() => window.__pwned), undefined, 'no script ran');
});

test('public statistics: figures, months and a chart, with hidden figures shown as "-"', async () => {
  const { page } = await openPage(`/statistics?org=${ORG.code}`);
  await page.locator('table.figures').waitFor();
  assert.match(await page.locator('main .lead').innerText(), new RegExp(ORG.name));
  const rows = await page.locator('table.figures tbody tr').allInnerTexts();
  assert.equal(rows.length, 12, 'a row per month, October first');
  assert.match(rows[0], /^ต\.ค\./);
  assert.match(rows[11], /^ก\.ย\./);
  // Complaints filed this month never count before the month ends, so the
  // current month and later show "-" and every ended month shows a number.
  const now = new Date();
  const month = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Bangkok', month: 'numeric' }).format(now));
  const index = (month + 2) % 12; // October is row 0
  for (let i = 0; i < 12; i++) {
    const received = rows[i].split('\t')[1]?.trim();
    if (i >= index) assert.equal(received, '-', `row ${i} (not ended)`);
    else assert.match(received, /^\d+$/, `row ${i} (ended)`);
  }
  assert.equal(await page.locator('.chart canvas').count(), 1, 'the monthly chart is drawn');
  // The chart follows its box when the window narrows, and stays inside it.
  const chartWidth = () => page.locator('.chart .uplot').evaluate((e) => e.getBoundingClientRect().width);
  const wide = await chartWidth();
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 420, height: viewport.height });
  await page.waitForFunction((before) => {
    const chart = document.querySelector('.chart .uplot');
    return chart && chart.getBoundingClientRect().width < before - 100;
  }, wide);
  const holderWidth = await page.locator('.chart').evaluate((e) => e.clientWidth);
  assert.ok(await chartWidth() <= Math.max(300, holderWidth) + 1, 'the chart fits its box');
  await page.setViewportSize(viewport);
  const year = await page.getByLabel('ปีงบประมาณ').inputValue();
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'citizen-statistics');

  await page.getByLabel('ปีงบประมาณ').selectOption(String(Number(year) - 1));
  await page.waitForURL(/year=/);
  await page.locator('table.figures').waitFor();
  const lastYear = await page.locator('table.figures tbody tr').allInnerTexts();
  for (const row of lastYear) assert.match(row.split('\t')[1].trim(), /^\d+$/, 'a past year has every month');
});

test('on a phone the filing form fits the screen', async () => {
  const { page } = await openPage(`/complaints/new?org=${ORG.code}`, {
    contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  });
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await screenshot(page, 'citizen-file-phone');
});

test('photos: checked and shrunk on the device, stored by Prongsai, readable by staff', async () => {
  const { page } = await openPage(`/complaints/new?org=${ORG.code}`);
  // A 2400x1800 PNG drawn by the browser itself, and a text file posing as
  // a PNG.
  const png = Buffer.from(await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1800;
    const context = canvas.getContext('2d');
    context.fillStyle = '#3c78d8';
    context.fillRect(0, 0, 2400, 1800);
    context.fillStyle = '#ffffff';
    context.fillRect(600, 400, 1200, 900);
    return canvas.toDataURL('image/png').split(',')[1];
  }), 'base64');
  await page.getByLabel('รูปภาพประกอบ (ถ้ามี)').setInputFiles([
    { name: 'ถนน.png', mimeType: 'image/png', buffer: png },
    { name: 'not-a-photo.png', mimeType: 'image/png', buffer: Buffer.from('hello, not a picture') },
  ]);
  await page.getByRole('img', { name: /รูปที่ 1/ }).waitFor();
  assert.match(await page.locator('.field[data-field="complaint.attachments"] [role=status]').innerText(),
    /not-a-photo\.png: เปิดรูปภาพนี้ไม่ได้/);
  assert.equal(await page.getByRole('img', { name: /รูปที่/ }).count(), 1);
  await expectNoSeriousAxeViolations(page);

  const subject = `หลุมบนถนน มีรูป ${randomUUID().slice(0, 8)}`;
  await page.getByLabel('เรื่อง (จำเป็น)', { exact: true }).fill(subject);
  await page.getByLabel('รายละเอียด').fill('ดูรูปประกอบ');
  await page.getByRole('button', { name: 'ส่งเรื่องร้องเรียน' }).click();
  await shownTrackingCode(page);

  const filed = await complaintWithSubject(subject);
  assert.equal(filed.attachments.length, 1);
  const [photo] = filed.attachments;
  assert.equal(photo.media_type, 'image/jpeg', 'shrunk and re-encoded as JPEG');
  assert.equal(photo.file_name, 'ถนน.jpg');
  assert.ok(Number(photo.size_bytes) <= 1024 * 1024);
  assert.equal(photo.content, undefined, 'listing carries no bytes');
  const full = await apiAs('OPERATOR', 'GET', `/v1/${photo.name}`);
  const bytes = Buffer.from(full.content, 'base64');
  assert.equal(bytes.length, Number(photo.size_bytes));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
});
