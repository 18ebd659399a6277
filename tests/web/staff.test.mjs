// What staff do, in a real browser against the real gateway and services:
// an administrator creates accounts; an officer signs in with the one-time
// password, changes it, and works the queue to resolution; an integrity
// officer opens a reporter's identity and an auditor sees that access; a
// role that may not act sees no control and is refused by the service; an
// ended session asks to sign in again without losing what was typed; an
// officer replies from a template, the service filling its placeholders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import {
  SEED,
  apiAs,
  baseUrl,
  expectNoSeriousAxeViolations,
  makeAccount,
  openPage,
  screenshot,
  signedIn,
  takePageProblems,
} from './support.mjs';

const ORG = SEED.organizations[0];
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

// Filed by the organization's OPERATOR key on behalf of a caller: the
// public filing limit per client is for citizens (citizen.test.mjs).
function fileComplaint(subject, extra = {}) {
  return apiAs('OPERATOR', 'POST', `/v1/organizations/${ORG.code}/complaints`, {
    complaint: { kind: 'GENERAL', channel: 'PHONE', subject, description: 'รายละเอียด', ...extra },
  });
}

test('an administrator creates an officer, who signs in, changes the password and works the queue to resolution', async () => {
  const admin = await makeAccount('SYSTEM', []);
  const { page: adminPage } = await signedIn(admin, '/staff/accounts');
  await expectNoSeriousAxeViolations(adminPage);
  const login = `officer-${randomUUID().slice(0, 6)}`;
  await adminPage.getByLabel('ชื่อผู้ใช้').fill(login);
  await adminPage.getByLabel('ชื่อ-นามสกุล').fill('สมชาย ทำงานดี');
  await adminPage.getByLabel(/OPERATOR/).check();
  await adminPage.getByLabel('รหัสหน่วยงาน').fill(ORG.code);
  await adminPage.getByRole('button', { name: 'สร้างบัญชี' }).click();
  const oneTime = (await adminPage.locator('#one-time-password').innerText()).trim();
  assert.ok(oneTime.length >= 12, 'the one-time password is shown');
  await adminPage.getByRole('cell', { name: login, exact: true }).waitFor();
  await screenshot(adminPage, 'staff-accounts');

  // Two complaints: one due tomorrow (a one-day category) and one in 15
  // days, filed in the other order: the queue puts the urgent one first.
  await apiAs('SYSTEM', 'PUT', `/v1/organizations/${ORG.code}/categories/urgent`, { display_name: 'เร่งด่วน', sla_days: 1 });
  const later = `ป้ายชำรุด ${randomUUID().slice(0, 6)}`;
  const urgent = `${HOSTILE} น้ำท่วมถนน ${randomUUID().slice(0, 6)}`;
  await fileComplaint(later);
  await fileComplaint(urgent, { category: `organizations/${ORG.code}/categories/urgent` });

  const officer = { login, password: oneTime };
  const { page } = await signedIn(officer, '/staff');
  await page.getByRole('link', { name: 'งานเรื่องร้องเรียน' }).click();
  await page.locator('table.queue').waitFor();
  const rows = await page.locator('table.queue tbody tr').allInnerTexts();
  const urgentAt = rows.findIndex((row) => row.includes(urgent));
  const laterAt = rows.findIndex((row) => row.includes(later));
  assert.ok(urgentAt >= 0 && laterAt >= 0, 'both complaints are in the queue');
  assert.ok(urgentAt < laterAt, 'due-soon first');
  assert.match(rows[urgentAt], /ใกล้ครบกำหนด/);
  assert.equal(await page.locator('main img').count(), 0, 'hostile subject is inert in the queue');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'staff-queue');

  await page.getByRole('link', { name: urgent }).click();
  await page.getByRole('heading', { name: 'ดำเนินการ' }).waitFor();
  assert.equal(await page.locator('h1').innerText(), urgent);
  for (const [state, extra] of [['ตอบรับเรื่อง', null], ['เริ่มดำเนินการ', null],
                                ['บันทึกผลการดำเนินการ', 'สูบน้ำออกและลอกท่อแล้ว']]) {
    await page.getByLabel('ขั้นตอนถัดไป').selectOption({ label: state });
    if (extra) await page.getByLabel('ผลการดำเนินการ (แจ้งผู้ร้อง)').fill(extra);
    await page.getByLabel('บันทึกประกอบ').fill(`${state} โดยเจ้าหน้าที่`);
    await page.getByRole('button', { name: 'บันทึกขั้นตอน' }).click();
    await page.locator('.replies', { hasText: `${state} โดยเจ้าหน้าที่` }).waitFor();
  }
  assert.match(await page.locator('.summary').innerText(), /ดำเนินการแล้ว รอท่านยืนยันผล/);
  await page.getByLabel('ผู้เห็นข้อความ').selectOption('PUBLIC');
  await page.getByLabel('ข้อความ (จำเป็น)', { exact: true }).fill('ขอบคุณที่แจ้ง');
  await page.getByRole('button', { name: 'บันทึกข้อความ' }).click();
  await page.locator('.reply', { hasText: 'ขอบคุณที่แจ้ง' }).waitFor();
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'staff-complaint');

  // The audit trail names the person, not a key.
  const listed = await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG.code}/complaints?page_size=1000`);
  const resolved = listed.complaints.find((c) => c.subject === urgent);
  assert.equal(resolved.state, 'RESOLVED');
  assert.equal(resolved.audit.updater, login);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('an integrity officer opens a reporter identity with a reason; the auditor sees the access', async () => {
  const subject = `เรียกรับสินบน ${randomUUID().slice(0, 6)}`;
  await fileComplaint(subject, { kind: 'CORRUPTION', complainant: { name: 'ผู้แจ้ง ลับมาก', contact: '089-000-1111' } });
  const complaint = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG.code}/complaints?kind=CORRUPTION&page_size=1000`))
    .complaints.find((c) => c.subject === subject);

  const officer = await makeAccount('INTEGRITY_OFFICER');
  const { page } = await signedIn(officer, `/staff/complaint?name=${encodeURIComponent(complaint.name)}`);
  await page.getByRole('heading', { name: 'ข้อมูลตัวตนที่ได้รับการคุ้มครอง' }).waitFor();
  assert.ok(!(await page.locator('main').innerText()).includes('ผู้แจ้ง ลับมาก'), 'hidden until asked');
  await page.getByLabel(/เหตุผลที่ต้องเปิดดู/).fill('สั้น');
  await page.getByRole('button', { name: 'เปิดดูข้อมูลตัวตน' }).click();
  await page.locator('.field[data-field="reason"] .field-error').waitFor({ state: 'visible' });
  takePageProblems(page); // the refused call (400) Chromium logs
  const reason = 'ต้องติดต่อผู้แจ้งเพื่อขอพยานหลักฐานเพิ่มเติม';
  await page.getByLabel(/เหตุผลที่ต้องเปิดดู/).fill(reason);
  await page.getByRole('button', { name: 'เปิดดูข้อมูลตัวตน' }).click();
  await page.getByText('ผู้แจ้ง ลับมาก').waitFor();
  assert.match(await page.locator('.identity-box').innerText(), /089-000-1111/);
  await expectNoSeriousAxeViolations(page);

  const auditor = await makeAccount('AUDITOR');
  const { page: audit } = await signedIn(auditor, '/staff');
  await audit.getByRole('link', { name: 'บันทึกการเปิดดูตัวตนผู้แจ้ง' }).click();
  const row = audit.locator('table.queue tbody tr', { hasText: reason });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(officer.login));
  // The log verifies; its head, kept, still verifies after one more read.
  await audit.getByRole('button', { name: 'ตรวจความครบถ้วนของบันทึก' }).click();
  await audit.locator('.verdict.ok').waitFor();
  const head = await audit.locator('code.log-head').innerText();
  assert.match(head, /^\d+:[0-9a-f]{64}$/);
  const stored = await apiAs('AUDITOR', 'GET', `/v1/organizations/${ORG.code}/identityAccesses?page_size=1000`);
  assert.equal(head, `${stored.accesses.length}:${stored.accesses.at(-1).entry_hash}`);
  await apiAs('INTEGRITY_OFFICER', 'POST', `/v1/${complaint.name}:getProtectedIdentity`,
    { reason: 'อ่านซ้ำเพื่อทำสำเนาให้คณะกรรมการ' });
  await audit.getByLabel(/หัวบันทึกที่เก็บไว้/).fill(head);
  await audit.getByRole('button', { name: 'ตรวจความครบถ้วนของบันทึก' }).click();
  await audit.locator('.verdict.ok', { hasText: String(Number(head.split(':')[0]) + 1).replace(/\d/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[d]) }).waitFor();
  // A head that is not in the log (made up here) is reported, not accepted.
  await audit.getByLabel(/หัวบันทึกที่เก็บไว้/).fill(`${head.split(':')[0]}:${'0'.repeat(64)}`);
  await audit.getByRole('button', { name: 'ตรวจความครบถ้วนของบันทึก' }).click();
  assert.match(await audit.locator('.verdict.broken').innerText(), /no longer the known head/);
  await expectNoSeriousAxeViolations(audit);
  await screenshot(audit, 'staff-identity-accesses');

  // The auditor may read the complaint but not act on it: no controls, and
  // the service refuses a move sent anyway.
  await audit.goto(`/staff/complaint?name=${encodeURIComponent(complaint.name)}`);
  await audit.locator('h1', { hasText: subject }).waitFor();
  assert.equal(await audit.getByRole('button', { name: 'บันทึกขั้นตอน' }).count(), 0);
  assert.equal(await audit.getByRole('button', { name: 'เปิดดูข้อมูลตัวตน' }).count(), 0);
  const status = await audit.evaluate(async (name) => (await fetch(`/v1/${name}:transition`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Prongsai-Csrf': '1' },
    body: JSON.stringify({ target_state: 'ACKNOWLEDGED', note: 'ลองดู' }),
  })).status, complaint.name);
  assert.equal(status, 403);
  takePageProblems(audit);
});

test('an executive sees no complaint desk and is refused by the service', async () => {
  const subject = `ถนนพัง ${randomUUID().slice(0, 6)}`;
  await fileComplaint(subject);
  const complaint = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG.code}/complaints?page_size=1000`))
    .complaints.find((c) => c.subject === subject);
  const executive = await makeAccount('EXECUTIVE');
  const { page } = await signedIn(executive, '/staff');
  assert.equal(await page.getByRole('link', { name: 'งานเรื่องร้องเรียน' }).count(), 0);
  await page.goto(`/staff/complaint?name=${encodeURIComponent(complaint.name)}`);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /ไม่มีสิทธิ์/);
  // The page asks for the complaint and its replies at once: both refusals
  // must have arrived before the expected problems are taken.
  await page.waitForLoadState('networkidle');
  takePageProblems(page);
});

test('a request signed in by cookie without the CSRF header is refused, and nothing changes', async () => {
  const officer = await makeAccount('OPERATOR');
  const { page } = await signedIn(officer, '/staff');
  const subject = `ไฟดับ ${randomUUID().slice(0, 6)}`;
  await fileComplaint(subject);
  const complaint = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG.code}/complaints?page_size=1000`))
    .complaints.find((c) => c.subject === subject);
  const status = await page.evaluate(async (name) => (await fetch(`/v1/${name}:transition`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ target_state: 'ACKNOWLEDGED', note: 'ข้ามการป้องกัน' }),
  })).status, complaint.name);
  assert.equal(status, 403);
  assert.equal((await apiAs('SYSTEM', 'GET', `/v1/${complaint.name}`)).state, 'RECEIVED');
  takePageProblems(page);
});

test('an ended session asks to sign in again and keeps what was typed', async () => {
  const subject = `ท่อแตก ${randomUUID().slice(0, 6)}`;
  await fileComplaint(subject);
  const complaint = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG.code}/complaints?page_size=1000`))
    .complaints.find((c) => c.subject === subject);
  const officer = await makeAccount('OPERATOR');
  const { page, context } = await signedIn(officer, `/staff/complaint?name=${encodeURIComponent(complaint.name)}`);
  await page.getByRole('heading', { name: 'บันทึกหรือตอบกลับ' }).waitFor();

  // An expired access token alone is renewed without asking.
  const stale = { name: 'prongsai_access', value: 'pat_expired.token', url: baseUrl() };
  await context.addCookies([stale]);
  await page.getByLabel('ข้อความ (จำเป็น)', { exact: true }).fill('บันทึกแรก');
  await page.getByRole('button', { name: 'บันทึกข้อความ' }).click();
  await page.locator('.reply', { hasText: 'บันทึกแรก' }).waitFor();

  // When the session itself has ended, the form stays and a dialog asks.
  const sessions = await apiAs('SYSTEM', 'GET', `/v1/accounts/${officer.login}/sessions`);
  for (const session of sessions.sessions ?? []) await apiAs('SYSTEM', 'POST', '/v1/sessions:end', { name: session.name });
  await context.addCookies([stale]);
  const typed = 'ข้อความยาวที่พิมพ์ไว้ก่อนหมดเวลา';
  await page.getByLabel('ข้อความ (จำเป็น)', { exact: true }).fill(typed);
  await page.getByRole('button', { name: 'บันทึกข้อความ' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('ชื่อผู้ใช้').fill(officer.login);
  await dialog.getByLabel('รหัสผ่าน').fill(officer.password);
  await screenshot(page, 'staff-session-ended');
  await dialog.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.locator('.reply', { hasText: typed }).waitFor();
  takePageProblems(page); // the refused call before signing in again
  const replies = await apiAs('SYSTEM', 'GET', `/v1/${complaint.name}/replies`);
  assert.equal(replies.replies.filter((r) => r.text === typed).length, 1, 'saved once, after signing in');
});

test('wrong passwords: one message for every cause', async () => {
  const officer = await makeAccount('OPERATOR');
  const { page } = await openPage('/signin');
  for (const [login, password] of [[officer.login, 'ผิดแน่นอน-123456'], ['no-such-person', 'ผิดแน่นอน-123456']]) {
    await page.getByLabel('ชื่อผู้ใช้').fill(login);
    await page.getByLabel('รหัสผ่าน').fill(password);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.getByRole('alert').filter({ hasText: 'ไม่ถูกต้อง' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /ชื่อผู้ใช้ รหัสผ่าน หรือรหัสยืนยันตัวตนไม่ถูกต้อง/);
  }
  assert.equal(await page.getByLabel('ชื่อผู้ใช้').inputValue(), 'no-such-person', 'the form keeps what was typed');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'staff-signin');
  takePageProblems(page);
});

// RFC 6238 with SHA-1, 30-second steps, 6 digits, from the secret in
// base32: what an authenticator app computes.
function totp(secret, when = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('an officer turns on an authenticator app; the next sign-in asks for its code', async () => {
  const officer = await makeAccount('OPERATOR');
  const { page } = await signedIn(officer, '/staff/security');
  await page.getByRole('button', { name: 'เริ่มใช้แอปยืนยันตัวตน' }).click();
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await page.getByLabel(/รหัส 6 หลัก/).fill(totp(secret));
  await page.getByRole('button', { name: 'ยืนยัน' }).click();
  await page.getByText('เปิดใช้แล้ว').waitFor();
  await expectNoSeriousAxeViolations(page);

  const { page: again } = await openPage('/signin');
  await again.getByLabel('ชื่อผู้ใช้').fill(officer.login);
  await again.getByLabel('รหัสผ่าน').fill(officer.password);
  await again.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  const code = again.getByLabel(/รหัสจากแอปยืนยันตัวตน/);
  await code.waitFor();
  takePageProblems(again); // the refused sign-in that asks for the code
  // The code of the previous step was spent confirming; use the next one.
  await code.fill(totp(secret, Date.now() + 30000));
  await again.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await again.waitForURL(/\/staff$/);
});

test('an officer replies from a template: the service fills its placeholders, the officer its values', async () => {
  const id = `ack-${randomUUID().slice(0, 6)}`;
  const template = `organizations/${ORG.code}/replyTemplates/${id}`;
  await apiAs('SYSTEM', 'PUT', `/v1/${template}`, {
    display_name: `ตอบรับเรื่อง ${id}`,
    text: 'ได้รับเรื่อง "{subject}" แล้ว ผู้รับผิดชอบ {officer} {{ด่วน}}',
    parameters: ['officer'],
    visibility: 'PUBLIC',
  });
  const subject = `ไฟฟ้าดับ ${HOSTILE} ${randomUUID().slice(0, 6)}`;
  const filed = await fileComplaint(subject);
  const officer = await makeAccount('OPERATOR', [ORG.code]);
  const { page } = await signedIn(officer, `/staff/complaint?name=${encodeURIComponent(filed.name)}`);
  await page.getByRole('heading', { name: 'บันทึกหรือตอบกลับ' }).waitFor();
  await page.getByLabel('แม่แบบข้อความ').selectOption({ label: `ตอบรับเรื่อง ${id}` });
  assert.match(await page.locator('.template-text').innerText(), /ผู้รับผิดชอบ \{officer\}/);
  assert.equal(await page.getByLabel('ข้อความ (จำเป็น)', { exact: true }).isVisible(), false);
  assert.equal(await page.getByLabel('ผู้เห็นข้อความ').inputValue(), 'PUBLIC');

  // A value left empty is refused before anything is sent.
  await page.getByRole('button', { name: 'บันทึกข้อความ' }).click();
  await page.locator('.form-error', { hasText: 'กรุณากรอกค่าของ {officer}' }).waitFor();
  const before = (await apiAs('SYSTEM', 'GET', `/v1/${filed.name}/replies`)).replies ?? [];

  await page.getByLabel('ค่าของ {officer} (จำเป็น)').fill('นางสาวใจดี');
  await page.getByRole('button', { name: 'บันทึกข้อความ' }).click();
  await page.locator('.reply', { hasText: 'ผู้รับผิดชอบ นางสาวใจดี' }).waitFor();
  const replies = (await apiAs('SYSTEM', 'GET', `/v1/${filed.name}/replies`)).replies;
  assert.equal(replies.length, before.length + 1);
  const sent = replies.at(-1);
  assert.equal(sent.text, `ได้รับเรื่อง "${subject}" แล้ว ผู้รับผิดชอบ นางสาวใจดี {ด่วน}`);
  assert.equal(sent.visibility, 'PUBLIC');
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'staff-reply-template');
});
