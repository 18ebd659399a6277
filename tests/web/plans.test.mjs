// The plan pages in a real browser against the real gateway and plan
// service: a planner imports a NACC-template document and sees what the
// service found under the lines it names; works the annual plan table
// (rows and totals as the API computes them, an edited budget saved, a stale
// edit refused, reconciliation, the export as a download); reports progress
// for a measure and sees it in the round summary; an executive approves and
// announces; an operator has no approve button and is refused anyway; a
// planner imports a measures table and a 6-month report, a damaged row or an
// unknown measure storing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  SEED,
  apiAs,
  expectNoSeriousAxeViolations,
  makeAccount,
  screenshot,
  signedIn,
  takePageProblems,
} from './support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ORG = SEED.staff_organization;
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const fixture = (name) => path.join(HERE, '..', 'testdata', 'plan', name);

// "๑๒,๕๐๐.๕๐" -> "12,500.50".
const arabic = (text) => text.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
// 1250050 satang -> "12,500.50", as the pages write baht.
function baht(money) {
  const satang = BigInt(money?.satang ?? 0);
  return `${(satang / 100n).toLocaleString('en-US')}.${String(satang % 100n).padStart(2, '0')}`;
}

async function importPlan(file) {
  return apiAs('OPERATOR', 'POST', `/v1/organizations/${ORG}/actionPlans:import`, {
    text: fs.readFileSync(fixture(file), 'utf8'),
    request_id: `test-${randomUUID()}`,
  });
}

const annualHref = (name) => `/staff/annual?name=${encodeURIComponent(name)}`;

test('a planner imports a plan document and sees each finding under its line', async () => {
  const before = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG}/actionPlans?page_size=1000`)).action_plans ?? [];
  const planner = await makeAccount('OPERATOR');
  const { page } = await signedIn(planner, '/staff');
  await page.getByRole('link', { name: 'แผนปฏิบัติการป้องกันการทุจริต' }).click();
  await page.getByRole('heading', { name: 'นำเข้าแผนจากเอกสาร' }).waitFor();
  await page.locator('#plan-file').setInputFiles(fixture('damaged_2566.txt'));
  await page.getByRole('status').filter({ hasText: 'อ่านไฟล์ damaged_2566.txt แล้ว' }).waitFor();
  assert.equal(await page.getByLabel(/ข้อความของเอกสาร/).inputValue(), fs.readFileSync(fixture('damaged_2566.txt'), 'utf8'));

  // A dry run: findings, nothing stored.
  await page.getByLabel('ตรวจสอบอย่างเดียว ยังไม่บันทึก').check();
  await page.getByRole('button', { name: 'นำเข้าแผน' }).click();
  await page.locator('.import-result').waitFor();
  assert.match(await page.locator('.import-result .not-stored').innerText(), /ยังไม่ได้บันทึกข้อมูลใด ๆ/);
  const after = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG}/actionPlans?page_size=1000`)).action_plans ?? [];
  assert.equal(after.length, before.length, 'a dry run stores nothing');
  for (const [line, code] of [[5, 'UNREADABLE_AMOUNT'], [6, 'TOTAL_MISMATCH'], [109, 'UNREADABLE_AMOUNT']]) {
    const item = page.locator(`ol.document li[data-line="${line}"]`);
    assert.match(await item.locator('.line-number').innerText(), new RegExp(`บรรทัด ${line}$`));
    assert.match(await item.locator('ul.findings').innerText(), new RegExp(code), `line ${line} shows ${code}`);
  }

  // For real: the plan is created, findings still shown by line.
  await page.getByLabel('ตรวจสอบอย่างเดียว ยังไม่บันทึก').uncheck();
  await page.getByRole('button', { name: 'นำเข้าแผน' }).click();
  await page.locator('.import-result .stored').waitFor();
  const plans = (await apiAs('SYSTEM', 'GET', `/v1/organizations/${ORG}/actionPlans?page_size=1000`)).action_plans;
  assert.equal(plans.length, before.length + 1, 'one plan stored');
  const plan = plans.at(-1);
  assert.equal(plan.state, 'DRAFT');
  // Every finding the service kept that names a line is under that line.
  const byLine = plan.import_findings.filter((f) => /^line \d+$/.test(f.location));
  assert.ok(byLine.length >= 3);
  for (const finding of byLine) {
    const line = finding.location.split(' ')[1];
    assert.match(await page.locator(`ol.document li[data-line="${line}"] ul.findings`).innerText(), new RegExp(finding.code));
  }
  // A finding naming a sheet sits under the line that opens it.
  const sheet3 = page.locator('ol.document li', { hasText: /^บรรทัด \d+ลำดับที่ ๓/ });
  const sheet3Findings = await sheet3.locator('ul.findings').innerText();
  assert.match(sheet3Findings, /SHEET_WITHOUT_BUDGET/);
  // Said in Thai, the service's English detail after it.
  assert.match(sheet3Findings, /แบบโครงการไม่มีหัวข้องบประมาณ/);
  const shownCount = await page.locator('.import-result li.finding').count();
  assert.equal(shownCount, plan.import_findings.length, 'every finding is shown once');
  // The list of plans shows the new one with its state.
  const row = page.locator(`tr[data-plan="${plan.name}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /ร่าง/);
  assert.match(await row.innerText(), /พ\.ศ\. ๒๕๖๖ - ๒๕๗๐/);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-import');
});

test('the annual plan table matches the API; an edit is saved, a stale one refused; reconcile and export', async () => {
  const imported = await importPlan('municipality_2571.txt');
  const annualName = imported.annual_plan.name;
  const planner = await makeAccount('OPERATOR');
  const { page } = await signedIn(planner, annualHref(annualName));
  await page.locator('table.annual').waitFor();
  const annual = await apiAs('OPERATOR', 'GET', `/v1/${annualName}`);
  const rows = page.locator('table.annual tbody tr');
  assert.equal(await rows.count(), annual.entries.length);
  for (const [i, entry] of annual.entries.entries()) {
    const cells = await rows.nth(i).locator('th, td').allInnerTexts();
    assert.equal(arabic(cells[0]), String(i + 1));
    assert.equal(cells[1], entry.title);
    assert.equal(arabic(cells[3]), baht(entry.budget));
    assert.deepEqual([1, 2, 3, 4].filter((q) => cells[3 + q] === '☑'), entry.quarters ?? []);
  }
  const total = (await page.locator('table.annual tfoot tr').locator('th, td').allInnerTexts()).map(arabic);
  assert.equal(total[3], baht(annual.totals.budget));
  assert.equal(total[3], '15,500.50');
  assert.deepEqual(total.slice(4, 8).map(Number), annual.totals.projects_per_quarter);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-annual');

  // Edit the third entry: budget in Thai digits, one more quarter, a
  // hostile remark that must stay text.
  await page.getByRole('button', { name: 'แก้ไข ลำดับ 3' }).click();
  await page.getByLabel('งบประมาณ (บาท)').fill('๔,๕๐๐.๒๕');
  await page.getByLabel('ไตรมาส ๔').check();
  await page.getByLabel('หมายเหตุ').fill(HOSTILE);
  await page.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
  await page.locator('table.annual tbody tr').nth(2).locator('td.money', { hasText: '๔,๕๐๐.๒๕' }).waitFor();
  const saved = await apiAs('OPERATOR', 'GET', `/v1/${annualName}`);
  assert.equal(saved.entries[2].budget.satang, '450025');
  assert.deepEqual(saved.entries[2].quarters, [3, 4]);
  assert.equal(saved.entries[2].remark, HOSTILE);
  assert.equal(saved.entries[0].budget.satang, annual.entries[0].budget.satang, 'other rows unchanged');
  assert.equal(baht(saved.totals.budget), '17,000.75');
  assert.equal(arabic(await page.locator('table.annual tfoot td.money').innerText()), '17,000.75');
  assert.equal(await page.locator('table.annual tbody tr').nth(2).locator('td.remark').innerText(), HOSTILE);
  assert.equal(await page.locator('main img').count(), 0, 'the remark is inert');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // Reconciliation: what the API finds, each shown.
  const reconciled = await apiAs('OPERATOR', 'GET', `/v1/${annualName}:reconcile`);
  assert.ok(reconciled.findings.some((f) => f.code === 'BUDGET_DIFFERS'), 'the edit departs from the 5-year plan');
  const findings = page.locator('ul.reconcile li.finding');
  await findings.first().waitFor();
  assert.equal(await findings.count(), reconciled.findings.length);
  assert.match(await page.locator('ul.reconcile').innerText(), /งบประมาณในแผนประจำปีต่างจากแผน 5 ปี/);
  assert.match(await page.locator('ul.reconcile').innerText(), /BUDGET_DIFFERS/);

  // The export is the API's document, saved as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'ดาวน์โหลด CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'annual-plan-2572.csv');
  const exported = await apiAs('OPERATOR', 'GET', `/v1/${annualName}:export?format=CSV&digits=THAI`);
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), exported.content);

  // Someone else changes the plan while the form is open: refused, said so.
  await page.getByRole('button', { name: 'แก้ไข ลำดับ 1' }).click();
  await page.getByLabel('งบประมาณ (บาท)').fill('1');
  await apiAs('OPERATOR', 'PATCH', `/v1/${annualName}?update_mask=note`, { note: 'แก้ไขโดยผู้อื่น' });
  await page.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
  await page.getByRole('alert').filter({ hasText: 'มีผู้แก้ไขข้อมูลนี้' }).waitFor();
  assert.equal((await apiAs('OPERATOR', 'GET', `/v1/${annualName}`)).entries[0].budget.satang, annual.entries[0].budget.satang);
  await screenshot(page, 'plans-annual-stale');
  takePageProblems(page); // the refused PATCH (409) Chromium logs
  await page.getByRole('button', { name: 'โหลดข้อมูลล่าสุด' }).click();
  await page.getByText('แก้ไขโดยผู้อื่น').waitFor();
  await expectNoSeriousAxeViolations(page);
});

test('progress of a measure in the 6-month round shows in the round summary', async () => {
  const imported = await importPlan('municipality_2571.txt');
  const annualName = imported.annual_plan.name;
  const title = `มาตรการเปิดเผยราคากลาง ${randomUUID().slice(0, 6)}`;
  const measure = await apiAs('OPERATOR', 'POST', `/v1/organizations/${ORG}/integrityMeasures`, {
    be_year: 2572, title, owner: 'กองคลัง', quarters: [1, 2],
  });
  const before = await apiAs('OPERATOR', 'GET', `/v1/${annualName}:roundSummary?round=HALF_YEAR`);
  const planner = await makeAccount('OPERATOR');
  const { page } = await signedIn(planner, `/staff/progress?name=${encodeURIComponent(annualName)}&round=HALF_YEAR`);
  await page.getByRole('heading', { name: 'รายงานความก้าวหน้า' }).waitFor();
  assert.match(await page.locator('ul.measures').innerText(), new RegExp(title));
  assert.match(await page.locator('.round-summary .done').innerText(), new RegExp(`^๐ จาก`));
  await expectNoSeriousAxeViolations(page);

  await page.getByLabel('โครงการหรือมาตรการ').selectOption({ label: `มาตรการ: ${title}` });
  await page.getByLabel('สถานะ').selectOption('DONE');
  const output = `เผยแพร่ราคากลางครบทุกโครงการ ${HOSTILE}`;
  await page.getByLabel('ผลผลิต / ผลการดำเนินงาน').fill(output);
  await page.getByLabel('ใช้จ่ายแล้ว (บาท)').fill('๑,๒๐๐');
  await page.getByRole('button', { name: 'บันทึกรายงาน' }).click();
  await page.locator('table.reports td.text', { hasText: 'เผยแพร่ราคากลางครบทุกโครงการ' }).waitFor();

  const reports = (await apiAs('OPERATOR', 'GET',
    `/v1/organizations/${ORG}/progressReports?be_year=2572&round=HALF_YEAR&subject=${encodeURIComponent(measure.name)}`)).progress_reports;
  assert.equal(reports.length, 1);
  assert.equal(reports[0].status, 'DONE');
  assert.equal(reports[0].spent.satang, '120000');
  assert.equal(reports[0].output, output);
  const summary = await apiAs('OPERATOR', 'GET', `/v1/${annualName}:roundSummary?round=HALF_YEAR`);
  assert.equal(summary.done, (before.done ?? 0) + 1);
  const shown = await page.locator('.round-summary .done').innerText();
  assert.match(arabic(shown), new RegExp(`^${summary.done} จาก ${summary.items} รายการ`));
  assert.equal(arabic(await page.locator('.round-summary .spent').innerText()), `${baht(summary.spent)} บาท`);
  assert.ok(!(await page.locator('ul.unreported').innerText().catch(() => '')).includes(title), 'reported, so not unreported');
  assert.equal(await page.locator('main img').count(), 0);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-progress');
});

test('an executive approves and announces a plan; an operator cannot', async () => {
  const imported = await importPlan('municipality_2571.txt');
  const planName = imported.action_plan.name;
  const href = `/staff/plan?name=${encodeURIComponent(planName)}`;

  const operator = await makeAccount('OPERATOR');
  const { page: opPage } = await signedIn(operator, href);
  await opPage.locator('table.plan-budget').waitFor();
  assert.equal(await opPage.getByRole('button', { name: 'อนุมัติแผน' }).count(), 0);
  const refused = await opPage.evaluate(async ({ name, etag }) => (await fetch(`/v1/${name}:approve`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Prongsai-Csrf': '1' },
    body: JSON.stringify({ etag }),
  })).status, { name: planName, etag: imported.action_plan.etag });
  assert.equal(refused, 403);
  assert.equal((await apiAs('SYSTEM', 'GET', `/v1/${planName}`)).state, 'DRAFT');
  takePageProblems(opPage);

  const executive = await makeAccount('EXECUTIVE');
  const { page } = await signedIn(executive, '/staff');
  await page.getByRole('link', { name: 'แผนปฏิบัติการป้องกันการทุจริต' }).waitFor();
  await page.goto(href);
  await page.locator('table.plan-budget').waitFor();
  // The tree: three dimensions, three projects, budgets per year in baht.
  assert.equal(await page.locator('table.plan-budget tbody[data-dimension]').count(), 3);
  assert.equal(await page.locator('table.plan-budget tr.project').count(), imported.projects.length);
  const first = imported.projects[0];
  const cells = await page.locator(`tr[data-project="${first.name}"] td.money`).allInnerTexts();
  assert.deepEqual(cells.map(arabic), [2571, 2572, 2573, 2574, 2575].map((year) => {
    const budget = first.budgets.find((b) => b.be_year === year);
    return budget ? baht(budget.planned) : '-';
  }));
  assert.equal(arabic(await page.locator('table.plan-budget tfoot td.money').nth(1).innerText()), '15,500.50');
  assert.equal(await page.locator('dd.plan-state').innerText(), 'ร่าง');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-plan-draft');

  await page.getByRole('button', { name: 'อนุมัติแผน' }).click();
  await page.locator('dd.plan-state', { hasText: 'อนุมัติแล้ว' }).waitFor();
  await page.getByRole('button', { name: 'ประกาศใช้แผน' }).click();
  await page.locator('dd.plan-state', { hasText: 'ประกาศใช้แล้ว' }).waitFor();
  const announced = await apiAs('SYSTEM', 'GET', `/v1/${planName}`);
  assert.equal(announced.state, 'ANNOUNCED');
  assert.ok(announced.announce_time);
  assert.equal(await page.getByRole('button', { name: /อนุมัติแผน|ประกาศใช้แผน/ }).count(), 0);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-plan-announced');
});

test('a planner imports the year\'s measures table and a 6-month report from their documents', async () => {
  const imported = await importPlan('municipality_2571.txt');
  // A year of its own, so that no other test's measures are in it.
  const annual = await apiAs('OPERATOR', 'POST', `/v1/${imported.action_plan.name}/annualPlans`, {
    be_year: 2574, request_id: `test-${randomUUID()}`,
  });
  const measuresOf = async () => (await apiAs('OPERATOR', 'GET',
    `/v1/organizations/${ORG}/integrityMeasures?be_year=2574&page_size=100`)).integrity_measures ?? [];
  const planner = await makeAccount('OPERATOR');
  const { page } = await signedIn(planner, `/staff/progress?name=${encodeURIComponent(annual.name)}&round=HALF_YEAR`);
  const measuresForm = page.locator('form[data-import="measures"]');
  const measuresResult = page.locator('form[data-import="measures"] + div .import-result');
  await measuresForm.getByRole('heading', { name: 'นำเข้ามาตรการจากตาราง' }).waitFor();

  // The fixture has a damaged row on line 10: nothing is stored, the
  // finding is under that line.
  await page.locator('#measures-file').setInputFiles(fixture('measures_2568.txt'));
  await measuresForm.getByRole('status').filter({ hasText: 'อ่านไฟล์ measures_2568.txt แล้ว' }).waitFor();
  await measuresForm.getByRole('button', { name: 'นำเข้ามาตรการ' }).click();
  await measuresResult.locator('.not-stored').waitFor();
  assert.match(await measuresResult.locator('ol.document li[data-line="10"] ul.findings').innerText(), /UNREADABLE_ROW/);
  assert.match(await measuresResult.locator('ol.document li[data-line="12"] ul.findings').innerText(), /DUPLICATE_MEASURE/);
  assert.deepEqual(await measuresOf(), [], 'a document with an error stores nothing');

  // Without the damaged row: the four measures, in the table's order.
  const lines = fs.readFileSync(fixture('measures_2568.txt'), 'utf8').split('\n');
  await measuresForm.getByLabel(/ข้อความของเอกสาร/).fill(lines.filter((_, i) => i !== 9).join('\n'));
  await measuresForm.getByRole('button', { name: 'นำเข้ามาตรการ' }).click();
  await measuresResult.locator('.stored').waitFor();
  assert.match(await measuresResult.locator('.stored').innerText(), /บันทึกมาตรการแล้ว ๔ มาตรการ/);
  const titles = ['มาตรการเผยแพร่ข้อมูล ต่อสาธารณะ', 'มาตรการตรวจสอบการใช้ดุลพินิจ',
                  'มาตรการป้องกันการรับสินบน', 'มาตรการจัดการเรื่องร้องเรียน'];
  assert.deepEqual((await measuresOf()).map((m) => m.title), titles);
  await page.locator('ul.measures li', { hasText: titles[3] }).waitFor();
  assert.equal(await page.locator('ul.measures li').count(), 4);

  // The 6-month report, its round read from the document; the hostile text
  // stays text.
  const output = `ข้อมูลครบ ${HOSTILE}`;
  const report = [
    'รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส',
    'ประจำปีงบประมาณ พ.ศ. ๒๕๗๔ (รอบ ๖ เดือน)',
    '',
    'มาตรการ\tรายละเอียดการดำเนินงาน\tระยะเวลาการดำเนินงาน\tผลการดำเนินการ\t',
    '\t\t\tผลผลิต\tผลลัพธ์',
    `มาตรการเผยแพร่ข้อมูลต่อสาธารณะ\tเผยแพร่ ๑๒ รายการ\tต.ค. - มี.ค.\t${output}\tประชาชนเข้าถึงข้อมูล`,
    'มาตรการที่ไม่มีในระบบ\tทำแล้ว\tไตรมาส 1\tมีผล\tดี',
  ].join('\n');
  const reportsForm = page.locator('form[data-import="reports"]');
  const reportsResult = page.locator('form[data-import="reports"] + div .import-result');
  await reportsForm.getByLabel(/ข้อความของเอกสาร/).fill(report);
  await reportsForm.getByRole('button', { name: 'นำเข้ารายงาน' }).click();
  await reportsResult.locator('.not-stored').waitFor();
  assert.match(await reportsResult.locator('ol.document li[data-line="7"] ul.findings').innerText(), /UNKNOWN_MEASURE/);

  await reportsForm.getByLabel(/ข้อความของเอกสาร/).fill(report.split('\n').slice(0, 6).join('\n'));
  await reportsForm.getByRole('button', { name: 'นำเข้ารายงาน' }).click();
  await reportsResult.locator('.stored').waitFor();
  assert.match(await reportsResult.locator('.stored').innerText(), /รอบ ๖ เดือน.*แล้ว ๑ รายการ/);
  await page.locator('table.reports td.text', { hasText: 'ข้อมูลครบ' }).waitFor();
  const stored = (await apiAs('OPERATOR', 'GET',
    `/v1/organizations/${ORG}/progressReports?be_year=2574&round=HALF_YEAR`)).progress_reports;
  assert.equal(stored.length, 1);
  assert.equal(stored[0].subject, (await measuresOf())[0].name);
  assert.equal(stored[0].status, 'IN_PROGRESS');
  assert.match(stored[0].output, /^ข้อมูลครบ /);
  // Whatever the document's cell held is shown as text.
  assert.equal(await page.locator('table.reports td.text').first().innerText(), stored[0].output);
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'plans-progress-imports');
});
