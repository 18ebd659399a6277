// The oversight page in a real browser against the real gateway and the
// three services: for a province of its own (four organizations whose plans,
// annual plans, progress reports, ITA results and complaints the test makes
// over /v1), an auditor sees every organization with the marks and totals
// those facts imply, sorts by a column, walks the pages and downloads the
// CSV; an operator sees only its organizations; a visitor who is not signed
// in is sent to sign in; a role without oversight is told so; an answer
// with a part missing (altered on its way to the page) is shown as such.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  apiAs,
  expectNoSeriousAxeViolations,
  makeAccount,
  openPage,
  screenshot,
  signedIn,
} from './support.mjs';

const TAG = randomUUID().replace(/-/g, '').slice(0, 6);
// A province no other test uses, so the group is exactly what this file made.
const PROVINCE = `ทดสอบกำกับ${TAG}`;
const YEAR = 2568; // the ITA service has the 2568 framework
const code = (letter) => `OV${TAG}${letter}`;
// Codes sort A < B < C < D: the default order ("code").
const ORGS = {
  A: { name: `เทศบาลตำบลครบเกณฑ์ ${TAG}`, district: 'เมือง', ita: 92.5 },
  B: { name: `องค์การบริหารส่วนตำบลอนุมัติแล้ว ${TAG}`, district: 'เมือง', ita: 80 },
  C: { name: `องค์การบริหารส่วนตำบลยังไม่มีแผน ${TAG}`, district: 'ท่าใหม่' },
  D: { name: `องค์การบริหารส่วนตำบลประกาศแผน ${TAG}`, district: 'ท่าใหม่', ita: 88 },
};

// "๑๒" -> "12".
const arabic = (text) => text.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
const MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
// "2 ธ.ค. 2569" for a timestamp: the Bangkok date (UTC+7, no DST), B.E.
function thaiDate(timestamp) {
  const bangkok = new Date(new Date(timestamp).getTime() + 7 * 3600 * 1000);
  return `${bangkok.getUTCDate()} ${MONTHS[bangkok.getUTCMonth()]} ${bangkok.getUTCFullYear() + 543}`;
}
// The B.E. fiscal year of now in Bangkok (it starts on 1 October).
function currentFiscalYear() {
  const bangkok = new Date(Date.now() + 7 * 3600 * 1000);
  return bangkok.getUTCFullYear() + 543 + (bangkok.getUTCMonth() >= 9 ? 1 : 0);
}

const made = {}; // letter -> { announced, reports: { HALF_YEAR, FULL_YEAR } }

async function makePlan(letter, { approve, announce, annual, reports, lateMeasure }) {
  const org = code(letter);
  const plan = await apiAs('SYSTEM', 'POST', `/v1/organizations/${org}/actionPlans`, {
    title: `แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. 2566 - 2570) ${TAG}`,
    fiscal_years: { first_be_year: 2566, last_be_year: 2570 },
  });
  let current = plan;
  if (approve) current = await apiAs('SYSTEM', 'POST', `/v1/${plan.name}:approve`, { etag: current.etag });
  if (announce) current = await apiAs('SYSTEM', 'POST', `/v1/${plan.name}:announce`, { etag: current.etag });
  made[letter] = { announced: announce ? current.announce_time : undefined, reports: {} };
  if (annual) await apiAs('SYSTEM', 'POST', `/v1/${plan.name}/annualPlans`, { be_year: YEAR });
  if (reports.length === 0) return;
  // A measure of the first quarter (long ended): late unless reported DONE.
  const measure = await apiAs('SYSTEM', 'POST', `/v1/organizations/${org}/integrityMeasures`, {
    be_year: YEAR, title: `มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง ${TAG}`, owner: 'กองคลัง', quarters: [1],
  });
  for (const round of reports) {
    const report = await apiAs('SYSTEM', 'POST', `/v1/organizations/${org}/progressReports`, {
      subject: measure.name, be_year: YEAR, round, status: lateMeasure ? 'IN_PROGRESS' : 'DONE',
      output: 'ดำเนินการตามแผน',
    });
    made[letter].reports[round] = report.report_time;
  }
}

before(async () => {
  for (const [letter, org] of Object.entries(ORGS)) {
    const ref = { code: code(letter), name: org.name, kind: 'SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION',
                  province: PROVINCE, district: org.district };
    await apiAs('SYSTEM', 'POST', '/v1/organizations', { organization: ref });
    if (org.ita !== undefined) {
      await apiAs('SYSTEM', 'POST', `/v1/organizations/${ref.code}/assessments/${YEAR}:ingestPublishedScores`, {
        organization: ref,
        published: { overall: { code: 'overall', score: org.ita }, grade: org.ita >= 85 ? 'ผ่าน' : 'ต้องปรับปรุง' },
      });
    }
  }
  // A: all four requirements. B: approved but never announced (so not
  // met), annual plan, a 6-month report of a measure still in progress
  // (late). C: nothing. D: announced, nothing else.
  await makePlan('A', { approve: true, announce: true, annual: true, reports: ['HALF_YEAR', 'FULL_YEAR'] });
  await makePlan('B', { approve: true, announce: false, annual: true, reports: ['HALF_YEAR'], lateMeasure: true });
  made.C = { reports: {} };
  await makePlan('D', { approve: true, announce: true, annual: false, reports: [] });
  // Two complaints of A, received now (the current fiscal year), open.
  for (const subject of ['ถนนชำรุด', 'ไฟฟ้าดับ']) {
    await apiAs('SYSTEM', 'POST', `/v1/organizations/${code('A')}/complaints`, {
      complaint: { kind: 'GENERAL', channel: 'PHONE', subject: `${subject} ${TAG}`, description: 'ทดสอบ' },
    });
  }
});

function href(params) {
  return `/staff/oversight?${new URLSearchParams(params).toString()}`;
}

const rows = (page) => page.locator('table.standings tbody tr');

async function shownOrder(page) {
  return rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.org));
}

// The figure of a total card, as Arabic digits.
async function total(page, key) {
  return arabic(await page.locator(`[data-total="${key}"] .figure-value`).innerText());
}
async function totalDetail(page, key) {
  return arabic(await page.locator(`[data-total="${key}"] .figure-detail`).innerText());
}

// The four requirement cells of an organization's row: met or not, and text.
async function marks(page, letter) {
  const cells = page.locator(`tr[data-org="${code(letter)}"] td.mark`);
  assert.equal(await cells.count(), 4, `four requirement cells for ${letter}`);
  return Promise.all([0, 1, 2, 3].map(async (i) => ({
    met: (await cells.nth(i).getAttribute('data-met')) === 'true',
    text: await cells.nth(i).innerText(),
  })));
}

async function cellOf(page, letter, heading) {
  const headings = await page.locator('table.standings thead th').allInnerTexts();
  const index = headings.findIndex((text) => text.startsWith(heading));
  assert.ok(index >= 0, `a column ${heading}`);
  return arabic(await page.locator(`tr[data-org="${code(letter)}"] > *`).nth(index).innerText());
}

test('an auditor sees every organization of the province with its marks and the totals', async () => {
  const auditor = await makeAccount('AUDITOR', []);
  const { page } = await signedIn(auditor, '/staff');
  await page.getByRole('link', { name: 'กำกับติดตามหน่วยงาน' }).click();
  await page.getByRole('heading', { name: 'กำกับติดตามหน่วยงาน', level: 1 }).waitFor();
  // The year defaults to the current fiscal year.
  assert.equal(arabic(await page.getByLabel(/ปีงบประมาณ/).inputValue()), String(currentFiscalYear()));
  await page.getByLabel(/ปีงบประมาณ/).fill(String(YEAR).replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d))));
  await page.getByLabel('จังหวัด', { exact: true }).fill(PROVINCE);
  await page.getByRole('button', { name: 'แสดงผล' }).click();
  await page.waitForURL((url) => url.searchParams.get('province') === PROVINCE && url.searchParams.get('year') === String(YEAR));
  await rows(page).first().waitFor();

  assert.deepEqual(await shownOrder(page), ['A', 'B', 'C', 'D'].map(code), 'every organization, by code');
  // A: announced plan (with its date), annual plan, both reports (dates).
  const a = await marks(page, 'A');
  assert.deepEqual(a.map((m) => m.met), [true, true, true, true]);
  assert.match(a[0].text, new RegExp(`ประกาศ ${thaiDate(made.A.announced)}`));
  assert.match(a[2].text, new RegExp(thaiDate(made.A.reports.HALF_YEAR)));
  assert.match(a[3].text, new RegExp(thaiDate(made.A.reports.FULL_YEAR)));
  assert.ok(a[0].text.startsWith('✓ มี'), a[0].text);
  // B: approved, not announced: the plan requirement is not met.
  const b = await marks(page, 'B');
  assert.deepEqual(b.map((m) => m.met), [false, true, true, false]);
  assert.ok(b[0].text.startsWith('✗ ไม่มี'), b[0].text);
  assert.match(b[0].text, /อนุมัติแล้ว ยังไม่ประกาศใช้/);
  assert.deepEqual((await marks(page, 'C')).map((m) => m.met), [false, false, false, false]);
  assert.deepEqual((await marks(page, 'D')).map((m) => m.met), [true, false, false, false]);
  // Counts of requirements met, late measures, ITA score, grade and rank.
  assert.equal(await cellOf(page, 'A', 'ผ่านเกณฑ์'), '4');
  assert.equal(await cellOf(page, 'B', 'ผ่านเกณฑ์'), '2');
  assert.equal(await cellOf(page, 'C', 'ผ่านเกณฑ์'), '0');
  assert.equal(await cellOf(page, 'D', 'ผ่านเกณฑ์'), '1');
  assert.equal(await cellOf(page, 'B', 'มาตรการล่าช้า'), '1', 'reported in progress after its quarter');
  assert.equal(await cellOf(page, 'A', 'มาตรการล่าช้า'), '0', 'reported done');
  assert.equal(await cellOf(page, 'A', 'คะแนน ITA'), '92.50');
  assert.equal(await cellOf(page, 'C', 'คะแนน ITA'), '-');
  assert.equal(await cellOf(page, 'A', 'ระดับ'), 'ผ่าน');
  assert.deepEqual(await Promise.all(['A', 'B', 'C', 'D'].map((l) => cellOf(page, l, 'อันดับ'))), ['1', '3', '-', '2']);
  assert.equal(await cellOf(page, 'A', 'เรื่องร้องเรียนที่รับ'), '0', 'the complaints were received in another fiscal year');

  // Totals: 4 organizations; announced A, D; annual A, B; 6-month A, B;
  // 12-month A; all four A; ITA mean of 92.5, 80, 88 and two at 85 or more.
  assert.equal(await total(page, 'organizations'), '4');
  assert.equal(await total(page, 'plan_announced'), '2');
  assert.match(await totalDetail(page, 'plan_announced'), /^50% ของ 4 หน่วยงาน/);
  assert.equal(await total(page, 'annual_plan'), '2');
  assert.equal(await total(page, 'half_year_report'), '2');
  assert.equal(await total(page, 'full_year_report'), '1');
  assert.match(await totalDetail(page, 'full_year_report'), /^25% /);
  assert.equal(await total(page, 'all_lpa_requirements'), '1');
  assert.equal(await total(page, 'mean_ita_score'), ((92.5 + 80 + 88) / 3).toFixed(2));
  assert.equal(await total(page, 'ita_passed'), '2');
  assert.match(await totalDetail(page, 'ita_passed'), /^66.7% /);
  assert.equal(await page.locator('.missing').count(), 0, 'every service answered');
  assert.equal(await page.locator('.general-only').count(), 0, 'an auditor counts corruption reports too');
  assert.equal(await page.locator('th[aria-sort="ascending"] button[data-sort="code"]').count(), 1);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'oversight-province');

  // The current year: A's two complaints, open; the plans (2566-2570) still
  // cover it but no annual plan or report was made for it.
  await page.goto(href({ year: currentFiscalYear(), province: PROVINCE }));
  await rows(page).first().waitFor();
  if (currentFiscalYear() <= 2570) {
    assert.deepEqual((await marks(page, 'A')).map((m) => m.met), [true, false, false, false]);
  }
  assert.equal(await cellOf(page, 'A', 'เรื่องร้องเรียนที่รับ'), '2');
  assert.equal(await cellOf(page, 'A', 'ค้างดำเนินการ'), '2');
  assert.equal(await cellOf(page, 'B', 'เรื่องร้องเรียนที่รับ'), '0');
  assert.equal(await total(page, 'complaints_received'), '2');
  assert.equal(await total(page, 'complaints_open'), '2');

  // A phone: the page does not scroll sideways, the table does.
  await page.setViewportSize({ width: 360, height: 780 });
  const widths = await page.evaluate(() => {
    const box = document.querySelector('.table-scroll');
    return { page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
             table: box.scrollWidth, box: box.clientWidth };
  });
  assert.ok(widths.page <= widths.viewport, `the page fits (${widths.page} <= ${widths.viewport})`);
  assert.ok(widths.table > widths.box, 'the table scrolls inside its box');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'oversight-narrow');
});

test('sorting by a column heading, paging, and the CSV download', async () => {
  const auditor = await makeAccount('AUDITOR', []);
  const { page } = await signedIn(auditor, href({ year: YEAR, province: PROVINCE }));
  await rows(page).first().waitFor();

  // ITA score, highest first; an organization without one comes last.
  await page.locator('button[data-sort="ita_score"]').click();
  await page.locator('th[aria-sort="descending"] button[data-sort="ita_score"]').waitFor();
  assert.deepEqual(await shownOrder(page), ['A', 'D', 'B', 'C'].map(code));
  assert.equal(new URL(page.url()).searchParams.get('order'), 'ita_score desc');
  assert.equal(await page.locator('th[aria-sort]').count(), 1, 'only the sorted column has aria-sort');
  // Again: lowest first, still without a score last.
  await page.locator('button[data-sort="ita_score"]').click();
  await page.locator('th[aria-sort="ascending"] button[data-sort="ita_score"]').waitFor();
  assert.deepEqual(await shownOrder(page), ['B', 'D', 'A', 'C'].map(code));
  // Requirements met, most first.
  await page.locator('button[data-sort="lpa_requirements_met"]').click();
  await page.locator('th[aria-sort="descending"] button[data-sort="lpa_requirements_met"]').waitFor();
  assert.deepEqual(await shownOrder(page), ['A', 'B', 'D', 'C'].map(code));
  await expectNoSeriousAxeViolations(page);

  // Two a page: A B, then C D, then back.
  await page.goto(href({ year: YEAR, province: PROVINCE, size: 2 }));
  await rows(page).first().waitFor();
  const previous = page.getByRole('button', { name: /หน้าก่อน/ });
  const next = page.getByRole('button', { name: /หน้าถัดไป/ });
  assert.deepEqual(await shownOrder(page), ['A', 'B'].map(code));
  assert.ok(await previous.isDisabled());
  assert.match(arabic(await page.locator('.page-position').innerText()), /หน้า 1 · ลำดับที่ 1-2 จาก 4/);
  await next.click();
  await page.locator(`tr[data-org="${code('C')}"]`).waitFor();
  assert.deepEqual(await shownOrder(page), ['C', 'D'].map(code));
  assert.match(arabic(await page.locator('.page-position').innerText()), /หน้า 2 · ลำดับที่ 3-4 จาก 4/);
  assert.ok(await next.isDisabled(), 'no page after the last');
  assert.equal(await total(page, 'organizations'), '4', 'the totals are the group\'s on every page');
  await previous.click();
  await page.locator(`tr[data-org="${code('A')}"]`).waitFor();
  assert.deepEqual(await shownOrder(page), ['A', 'B'].map(code));
  await screenshot(page, 'oversight-paged');

  // The CSV: the API's export of the whole group, saved as a file named by
  // year and province, UTF-8 with a byte-order mark, Thai headings.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'ดาวน์โหลด CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `organization-standings-${YEAR}-${PROVINCE}.csv`);
  const bytes = fs.readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte-order mark');
  const text = bytes.toString('utf8').slice(1);
  const exported = await apiAs('SYSTEM', 'GET', `/v1/organizationStandings:export?${new URLSearchParams({
    'query.fiscal_year.be_year': YEAR, 'query.province': PROVINCE })}`);
  assert.equal(bytes.toString('utf8'), exported.content, 'the file is the API\'s export');
  const lines = text.split(/\r?\n/).filter(Boolean);
  assert.match(lines[0], /[\u0e01-\u0e2e]/, 'Thai headings');
  assert.match(lines[0], /หน่วยงาน/);
  for (const letter of ['A', 'B', 'C', 'D']) {
    assert.equal(lines.filter((line) => line.includes(code(letter))).length, 1, `one row of ${letter}`);
  }
  assert.equal(lines.length, 1 + 4 + 1, 'the headings, four organizations, the totals');
});

test('an operator sees only its own organizations; the totals are theirs', async () => {
  const operator = await makeAccount('OPERATOR', [code('A'), code('C')]);
  const { page } = await signedIn(operator, href({ year: YEAR, province: PROVINCE }));
  await rows(page).first().waitFor();
  assert.deepEqual(await shownOrder(page), ['A', 'C'].map(code));
  assert.equal(await total(page, 'organizations'), '2');
  assert.equal(await total(page, 'plan_announced'), '1');
  assert.match(await totalDetail(page, 'plan_announced'), /^50% ของ 2 หน่วยงาน/);
  assert.equal(await cellOf(page, 'A', 'อันดับ'), '1', 'ranked within its own organizations');
  assert.equal(await page.locator('.general-only').count(), 1, 'an operator reads general complaints only, and is told so');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'oversight-operator');
});

test('a visitor who is not signed in is sent to sign in; an integrity officer is told it is not theirs', async () => {
  const path = href({ year: YEAR, province: PROVINCE });
  const { page } = await openPage(path);
  await page.waitForURL((url) => url.pathname === '/signin');
  assert.equal(new URL(page.url()).searchParams.get('next'), path);
  assert.equal(await page.locator('table.standings').count(), 0);

  const officer = await makeAccount('INTEGRITY_OFFICER');
  const { page: officerPage } = await signedIn(officer, '/staff');
  assert.equal(await officerPage.getByRole('link', { name: 'กำกับติดตามหน่วยงาน' }).count(), 0);
  await officerPage.goto('/staff/oversight');
  await officerPage.getByRole('alert').filter({ hasText: 'ท่านไม่มีสิทธิ์ดูหน้านี้' }).waitFor();
  assert.equal(await officerPage.locator('table.standings').count(), 0);
});

test('when a service does not answer, the page names the missing part and shows its figures as unknown', async () => {
  // The stack cannot stop one service under a running test, so the real
  // answer is altered on its way to the page the way the API says such an
  // answer looks: the part unset in every standing, its totals zero, and a
  // sentence in `missing`.
  const auditor = await makeAccount('AUDITOR', []);
  const { page } = await signedIn(auditor, '/staff');
  const sentence = 'ita: the ITA service did not answer; ITA figures are absent';
  await page.route('**/v1/organizationStandings?*', async (route) => {
    const answer = await (await route.fetch()).json();
    for (const standing of answer.standings ?? []) delete standing.ita;
    delete answer.totals.mean_ita_score;
    answer.totals.ita_scored = 0;
    answer.totals.ita_passed = 0;
    answer.missing = [sentence];
    await route.fulfill({ json: answer });
  });
  await page.goto(href({ year: YEAR, province: PROVINCE }));
  await rows(page).first().waitFor();
  assert.match(await page.locator('.missing').innerText(), new RegExp(sentence));
  assert.equal(await page.locator('[data-total="mean_ita_score"]').count(), 0, 'no ITA mean shown as if it were known');
  // A dash to the eye, "unknown" to a screen reader: never a zero.
  assert.match(await cellOf(page, 'A', 'คะแนน ITA'), /^-\s*ไม่ทราบ$/);
  assert.match(await cellOf(page, 'A', 'อันดับ'), /^-\s*ไม่ทราบ$/);
  // The other parts are still there.
  assert.deepEqual((await marks(page, 'A')).map((m) => m.met), [true, true, true, true]);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'oversight-missing');
});
