// The PDPA retention page, in a real browser against the real gateway and
// services: the executive sets how long identities are kept (Thai digits
// accepted, a period out of range refused next to its field, nothing
// changed); the integrity officer sees the policy without a form, and the
// erasure log with a data subject's erasure done through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  SEED,
  apiAs,
  expectNoSeriousAxeViolations,
  makeAccount,
  screenshot,
  signedIn,
  takePageProblems,
} from './support.mjs';

const ORG = SEED.staff_organization;
const POLICY = `/v1/organizations/${ORG}/retentionPolicy`;

test('the executive sets the retention periods; a period out of range is refused and changes nothing', async () => {
  const executive = await makeAccount('EXECUTIVE');
  const { page } = await signedIn(executive, '/staff');
  await page.getByRole('link', { name: 'การเก็บรักษาข้อมูลตัวตน (PDPA)' }).click();
  await page.getByRole('heading', { name: 'ระยะเวลาเก็บข้อมูลตัวตน' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'บันทึกการลบข้อมูลตัวตน' }).count(), 0,
    'the executive is not shown the erasure log');
  await expectNoSeriousAxeViolations(page);

  const before = await apiAs('INTEGRITY_OFFICER', 'GET', POLICY);
  await page.getByLabel(/เรื่องทั่วไป/).fill('๑๐');
  await page.getByRole('button', { name: 'บันทึกระยะเวลา' }).click();
  await page.locator('.field[data-field="retention_policy.general_retention_days"] .field-error')
    .waitFor({ state: 'visible' });
  takePageProblems(page); // the refused call (400) Chromium logs
  assert.deepEqual(await apiAs('INTEGRITY_OFFICER', 'GET', POLICY), before, 'a refused update changed it');

  await page.getByLabel(/เรื่องทั่วไป/).fill('๔๕');
  await page.getByLabel(/เรื่องการทุจริต/).fill('1095');
  await page.getByLabel(/แจ้งล่วงหน้า/).fill('14');
  await page.getByRole('button', { name: 'บันทึกระยะเวลา' }).click();
  await page.getByRole('status').filter({ hasText: 'บันทึกแล้ว' }).waitFor();
  assert.match(await page.locator('dl.policy').innerText(), /๔๕ วัน[\s\S]*๑๐๙๕ วัน[\s\S]*๑๔ วัน/,
    'the figures shown are the saved ones');
  const after = await apiAs('INTEGRITY_OFFICER', 'GET', POLICY);
  assert.equal(after.general_retention_days, 45);
  assert.equal(after.corruption_retention_days, 1095);
  assert.equal(after.warning_days, 14);
  assert.equal(after.audit.updater, executive.login);
  await screenshot(page, 'staff-retention-executive');
});

test('an operator erases a data subject\'s contact from the case; the integrity officer sees it in the log', async () => {
  const subject = `ขอลบข้อมูล ${randomUUID().slice(0, 6)}`;
  const filed = await apiAs('OPERATOR', 'POST', `/v1/organizations/${ORG}/complaints`, {
    complaint: {
      kind: 'GENERAL', channel: 'PHONE', subject, description: 'รายละเอียด',
      complainant: { name: 'ผู้ร้อง ขอลบ', contact: '080-111-2222' },
    },
  });
  await apiAs('OPERATOR', 'POST', `/v1/${filed.name}:transition`,
    { target_state: 'WITHDRAWN', note: 'ผู้ร้องถอนเรื่อง' });
  // The operator who took the request erases the contact from the case.
  const reference = `คำร้องที่ ${randomUUID().slice(0, 4)}/๒๕๖๙`;
  const operator = await makeAccount('OPERATOR');
  const { page: desk } = await signedIn(operator, `/staff/complaint?name=${encodeURIComponent(filed.name)}`);
  await desk.getByRole('heading', { name: 'ลบช่องทางติดต่อตามคำขอของเจ้าของข้อมูล' }).waitFor();
  await desk.getByLabel(/เลขที่คำร้องของเจ้าของข้อมูล/).fill(reference);
  await desk.getByRole('button', { name: 'ลบช่องทางติดต่อ' }).click();
  await desk.getByRole('status').filter({ hasText: 'ลบช่องทางติดต่อแล้ว' }).waitFor();
  await expectNoSeriousAxeViolations(desk);
  // Done once: the service refuses a second erasure, shown on the form.
  await desk.getByRole('button', { name: 'ลบช่องทางติดต่อ' }).click();
  await desk.locator('.form-error').filter({ hasText: /./ }).waitFor();
  takePageProblems(desk); // the refused call (400) Chromium logs

  const officer = await makeAccount('INTEGRITY_OFFICER');
  const { page } = await signedIn(officer, '/staff/retention');
  await page.getByRole('heading', { name: 'ข้อมูลตัวตนที่จะถูกลบเร็ว ๆ นี้' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'บันทึกระยะเวลา' }).count(), 0,
    'only the executive changes the policy');
  const row = page.locator('table.queue tbody tr', { hasText: reference });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /เจ้าของข้อมูลขอให้ลบ/);
  assert.match(text, /ช่องทางติดต่อผู้ร้อง/);
  assert.ok(text.includes(filed.name.split('/').pop()), 'names the complaint');
  assert.ok(!(await page.locator('main').innerText()).includes('080-111-2222'),
    'the erased contact is nowhere on the page');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'staff-retention-officer');
});
