// The ITA pages in a real browser against the real gateway and services:
// an executive reads the organization's results by year, the analysis the
// ITA service gives (the same weaknesses, peer counts and yearly scores as
// the API), and the printable report, without a control to adopt measures;
// an operator adopts the recommended measures into the plan, and the plan
// service has them; an operator previews and then makes the move of an
// assessment to a corrected framework of its year; markup in an
// organization's name or a measure's title stays text.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  SEED,
  apiAs,
  expectNoSeriousAxeViolations,
  makeAccount,
  openPage,
  screenshot,
  signedIn,
} from './support.mjs';

const ORG = SEED.organizations[0];
const ASSESSMENT = `organizations/${ORG.code}/assessments/2568`;
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const HOSTILE_ORG = '6340199';
const HOSTILE_MEASURE = `${HOSTILE} มาตรการทดสอบ ${randomUUID().slice(0, 6)}`;

// --- The ITA data, made over /v1 with the SYSTEM key. ---

// Published results of the seed organization (seed-000 style, as the CLI's
// demo): overall, grade, indicators 1-10.
const YEARS = [
  [2566, 90.15, 'ผ่าน', [99.1, 89.0, 87.2, 85.5, 95.8, 92.8, 88.6, 86.1, 74.9, 100.0]],
  [2567, 91.02, 'ผ่าน', [99.4, 90.2, 88.0, 86.3, 96.2, 93.1, 89.3, 87.0, 77.1, 100.0]],
  [2568, 89.6, 'ผ่าน', [99.5, 90.4, 87.7, 83.8, 96.0, 93.5, 89.1, 87.4, 72.6, 100.0]],
];
// Peers of the same province for 2568, spread around the organization's
// score (some in other bands than its own).
const PEER_SHIFTS = [-12.5, -6, -1.5, 2, 4.5, 8];

const scoreFormat = new Intl.NumberFormat('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const score = (value) => (value === undefined ? '-' : scoreFormat.format(value));
const clamp = (value) => Math.min(100, Math.max(0, value));

function ref(code, name) {
  return { code, name, kind: ORG.kind, province: ORG.province, district: ORG.district };
}

function publish(code, name, [year, overall, grade, indicators]) {
  return apiAs('SYSTEM', 'POST', `/v1/organizations/${code}/assessments/${year}:ingestPublishedScores`, {
    organization: ref(code, name),
    published: {
      overall: { code: 'overall', score: overall },
      grade,
      indicators: indicators.map((value, i) => ({ code: String(i + 1), score: value })),
    },
  });
}

before(async () => {
  for (const year of YEARS) await publish(ORG.code, ORG.name, year);
  const [year, overall, , indicators] = YEARS[2];
  for (const [i, shift] of PEER_SHIFTS.entries()) {
    const peer = clamp(overall + shift);
    await publish(`63401${20 + i}`, `องค์การบริหารส่วนตำบลตัวอย่าง ${i + 1}`,
      [year, peer, peer >= 85 ? 'ผ่าน' : 'ต้องปรับปรุง', indicators.map((s) => clamp(s + shift))]);
  }
  // An organization whose name is markup, with a result of its own.
  const hostileName = `${HOSTILE} อบต.ทดสอบ`;
  await apiAs('SYSTEM', 'POST', '/v1/organizations', { organization: ref(HOSTILE_ORG, hostileName) });
  await publish(HOSTILE_ORG, hostileName, [2568, 86.0, 'ผ่าน', indicators]);
  // The plan's ITA target for 2568, and a measure of 2569 (markup in its
  // title) answering weakness 9.
  await apiAs('SYSTEM', 'POST', `/v1/organizations/${ORG.code}/actionPlans`, {
    title: 'แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. 2566 - 2570)',
    fiscal_years: { first_be_year: 2566, last_be_year: 2570 },
    targets: [{ be_year: 2568, ita_score_target: 92 }],
  });
  await apiAs('SYSTEM', 'POST', `/v1/organizations/${ORG.code}/integrityMeasures`, {
    be_year: 2569, title: HOSTILE_MEASURE, ita_indicators: ['9'], owner: 'สำนักปลัด',
  });
});

// The rows of the table matching `selector`: each row's cells' text.
function tableRows(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll((rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim())));
}

async function expectInert(page) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script of the hostile text ran');
  assert.equal(await page.locator('main img, main script').count(), 0, 'the markup did not become elements');
}

test('an executive reads the results, the analysis the API gives, peers, trend and the report', async () => {
  const executive = await makeAccount('EXECUTIVE');
  const { page } = await signedIn(executive, '/staff');
  await page.getByRole('link', { name: 'ผลการประเมิน ITA' }).click();
  await page.waitForURL(/\/staff\/ita$/);

  // The list: newest year first, the API's scores and grades.
  const listed = await apiAs('EXECUTIVE', 'GET', `/v1/organizations/${ORG.code}/assessments`);
  await page.locator('table.ita-assessments').waitFor();
  const rows = await tableRows(page, 'table.ita-assessments');
  assert.deepEqual(rows.map((r) => r.slice(0, 3)),
    listed.assessments.slice().reverse().map((a) => [String(a.fiscal_year.be_year),
      score(a.effective_overall_score), a.published.grade]));
  assert.deepEqual(rows.map((r) => r[0]), ['2568', '2567', '2566']);
  await page.getByText(ORG.name).first().waitFor();
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'ita-list');

  await page.getByRole('link', { name: 'ดูการวิเคราะห์ปี 2568' }).click();
  await page.waitForURL((url) => url.pathname === '/staff/ita/analysis');
  const analysis = await apiAs('EXECUTIVE', 'GET', `/v1/${ASSESSMENT}:analyze`);
  await page.locator('#ita-weakness-list').waitFor();

  // The weaknesses and strengths, as the API lists them.
  assert.ok(analysis.weaknesses.length >= 2, 'the seed has weaknesses (indicators 9 and 4)');
  const indicatorText = (i) => `ตัวชี้วัดที่ ${i.number} ${i.name} (${score(i.score)} คะแนน)`;
  assert.deepEqual(await page.locator('#ita-weakness-list li').allInnerTexts(), analysis.weaknesses.map(indicatorText));
  assert.deepEqual(await page.locator('#ita-strength-list li').allInnerTexts(), analysis.strengths.map(indicatorText));
  // The plan's target against the result, and the change since 2567.
  assert.equal(analysis.plan_target, 92);
  const target = await tableRows(page, 'table.ita-target');
  assert.deepEqual(target.map((r) => r[1]), [score(92), score(analysis.overall), score(analysis.gap_to_target)]);
  await page.getByRole('heading', { name: 'เปลี่ยนแปลงจากปี พ.ศ. 2567' }).waitFor();
  await page.getByRole('heading', { name: 'การจัดการเรื่องร้องเรียน' }).waitFor();
  // Coverage: the measure answering weakness 9, by its title, as text.
  const coverage = await tableRows(page, 'table.ita-coverage');
  const nine = coverage.find((r) => r[0].startsWith('ตัวชี้วัดที่ 9 '));
  assert.ok(nine && nine[1].includes(HOSTILE_MEASURE), `weakness 9 lists the measure: ${JSON.stringify(coverage)}`);
  // OIT evidence: the API's items in order, each state in Thai, and the
  // ceiling; the plan made above is a draft, so it is held but unpublished.
  const evidence = analysis.oit_evidence;
  assert.ok(evidence && evidence.items.length > 0, 'the 2568 framework marks the items Prongsai evidences');
  const evidenceRows = await tableRows(page, 'table.ita-oit-evidence');
  assert.deepEqual(evidenceRows.map((r) => r[0]), evidence.items.map((i) => i.item.toUpperCase()));
  const planItem = evidence.items.find((i) => i.source === 'ANTI_CORRUPTION_PLAN');
  assert.equal(planItem.state, 'NOT_PUBLISHED');
  assert.equal(evidenceRows.find((r) => r[0] === planItem.item.toUpperCase())[2], 'มีแต่ยังไม่เผยแพร่');
  assert.equal(await page.locator('.oit-ceiling').innerText(), score(evidence.oit_score_ceiling));
  assert.ok(evidence.oit_score_ceiling < 100, 'a missing record lowers the ceiling');

  // Peers: the histogram is drawn and its table holds the API's counts.
  const peers = await apiAs('EXECUTIVE', 'GET', `/v1/${ASSESSMENT}:peerAnalytics?group=SAME_PROVINCE`);
  assert.ok(!peers.suppressed && peers.peers >= 8, `a group of ${peers.peers}`);
  await page.locator('.ita-histogram[role=img] canvas').waitFor();
  const bins = await tableRows(page, 'table.ita-histogram-table');
  assert.deepEqual(bins.map((r) => [r[0], Number(r[1])]),
    peers.histogram.map((b) => [`${b.low ?? 0}-${b.high}`, b.count ?? 0]));
  assert.equal(bins.reduce((sum, r) => sum + Number(r[1]), 0), peers.peers);
  assert.deepEqual(bins.filter((r) => r[2] !== '').map((r) => r[0]), ['80-90'], 'the own score is marked in its band');
  assert.match(await page.locator('.ita-histogram').getAttribute('aria-label'), /89\.60/);

  // Trend: drawn, and the table has the API's years and scores, the method
  // change marked.
  const trend = await apiAs('EXECUTIVE', 'GET', `/v1/organizations/${ORG.code}/assessments:trend`);
  await page.locator('.ita-trend[role=img] canvas').waitFor();
  const years = await tableRows(page, 'table.ita-trend-table');
  assert.deepEqual(years.map((r) => [r[0], r[1]]), trend.points.map((p) => [String(p.be_year), score(p.overall)]));
  assert.deepEqual(years.map((r) => r[0]), ['2566', '2567', '2568']);
  const breaks = trend.points.filter((p) => p.method_break).map((p) => String(p.be_year));
  assert.deepEqual(years.filter((r) => r[2] !== '-').map((r) => r[0]), breaks);

  // Recommended measures, and no adopt control for an executive (the
  // service admits only OPERATOR and SYSTEM).
  const recommended = await apiAs('EXECUTIVE', 'GET', `/v1/${ASSESSMENT}:recommendMeasures`);
  await page.locator('table.ita-recommended').waitFor();
  assert.deepEqual((await tableRows(page, 'table.ita-recommended')).map((r) => r[0]),
    recommended.measures.map((m) => m.measure.title));
  assert.equal(await page.getByRole('button', { name: /รับมาตรการ/ }).count(), 0);
  await expectInert(page);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'ita-analysis-executive');

  // The report: the service's document on a printable page, and its HTML
  // form to download.
  await page.getByRole('link', { name: 'รายงานการวิเคราะห์สำหรับพิมพ์' }).click();
  await page.locator('.ita-report h1').waitFor();
  assert.match(await page.locator('.ita-report h1').innerText(), /^รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส/);
  assert.ok(await page.locator('.ita-report table').count() >= 2, 'the report tables became tables');
  assert.ok((await page.locator('.ita-report').innerText()).includes(recommended.measures[0].measure.title));
  await page.getByRole('button', { name: 'พิมพ์รายงาน' }).waitFor();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'ดาวน์โหลด (HTML)' }).click();
  const file = await (await downloading).path();
  assert.match(fs.readFileSync(file, 'utf8'), /รายงานการวิเคราะห์ผลการประเมิน/);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'ita-report');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: 'พิมพ์รายงาน' }).isVisible(), false, 'print leaves the buttons out');
  await screenshot(page, 'ita-report-print');
});

test('an operator adopts the recommended measures and the plan has them', async () => {
  const operator = await makeAccount('OPERATOR');
  const { page } = await signedIn(operator, `/staff/ita/analysis?name=${encodeURIComponent(ASSESSMENT)}`);
  const recommended = await apiAs('OPERATOR', 'GET', `/v1/${ASSESSMENT}:recommendMeasures`);
  const adopt = page.getByRole('button', { name: /รับมาตรการที่แนะนำ/ });
  await adopt.waitFor();
  await expectNoSeriousAxeViolations(page);
  await adopt.click();
  await page.locator('table.ita-adopted').waitFor();

  const planned = await apiAs('OPERATOR', 'GET', `/v1/organizations/${ORG.code}/integrityMeasures?page_size=1000`);
  const fromAnalysis = planned.integrity_measures.filter((m) => m.source === ASSESSMENT);
  assert.deepEqual(fromAnalysis.map((m) => m.title).sort(),
    recommended.measures.map((m) => m.measure.title).sort(), 'every recommended measure is in the plan');
  assert.ok(fromAnalysis.every((m) => m.be_year === 2569));
  const shown = (await tableRows(page, 'table.ita-adopted')).map((r) => r[0]);
  assert.deepEqual(shown.sort(), fromAnalysis.map((m) => m.title).sort(), 'the page shows what got adopted');
  // The weaknesses' coverage is asked again: weakness 4 now has the measures
  // adopted for it.
  const forFour = fromAnalysis.filter((m) => m.ita_indicators.includes('4')).map((m) => m.title);
  assert.ok(forFour.length > 0);
  const coverageOfFour = page.locator('table.ita-coverage tbody tr', { hasText: 'ตัวชี้วัดที่ 4 ' }).locator('td').first();
  for (const title of forFour) await coverageOfFour.getByText(title, { exact: true }).waitFor();

  // Adopting again creates nothing twice.
  await adopt.click();
  await page.getByRole('status').filter({ hasText: `${fromAnalysis.length} รายการ` }).waitFor();
  const again = await apiAs('OPERATOR', 'GET', `/v1/organizations/${ORG.code}/integrityMeasures?page_size=1000`);
  assert.equal(again.integrity_measures.filter((m) => m.source === ASSESSMENT).length, fromAnalysis.length);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'ita-analysis-adopted');
});

test('an operator previews, then moves an assessment to the corrected framework of its year', async () => {
  const code = '6340191';
  const name = `organizations/${code}/assessments/2565`;
  await apiAs('SYSTEM', 'POST', '/v1/organizations', { organization: ref(code, 'องค์การบริหารส่วนตำบลย้ายกรอบ') });
  await apiAs('SYSTEM', 'POST', `/v1/${name}:ingestPublishedScores`, {
    organization: ref(code, 'องค์การบริหารส่วนตำบลย้ายกรอบ'),
    published: {
      overall: { code: 'overall', score: 88.5 },
      grade: 'ผ่าน',
      items: ['i1', 'i2', 'i3'].map((item) => ({ code: item, score: 90 })),
    },
  });
  // Version 2 of 2565: i1 becomes i31, i2 keeps its code with a new meaning.
  const framework = await apiAs('SYSTEM', 'GET', '/v1/frameworks/2565');
  for (const item of framework.items) {
    if (item.code === 'i1') Object.assign(item, { code: 'i31', renamed_from: ['i1'], new_in_version: false });
    if (item.code === 'i2') Object.assign(item, { renamed_from: [], new_in_version: true });
  }
  const loaded = await apiAs('SYSTEM', 'POST', '/v1/frameworks', framework);
  assert.equal(loaded.version, framework.version + 1);
  const version = async () => (await apiAs('SYSTEM', 'GET', `/v1/${name}`)).framework_version;
  assert.equal(await version(), framework.version);
  const path = `/staff/ita/analysis?name=${encodeURIComponent(name)}`;
  const notice = (page) => page.getByRole('note').filter({ hasText: 'มีฉบับที่แก้ไขแล้ว' });
  const previewButton = (page) => page.getByRole('button', { name: 'ตรวจดูการย้ายไปกรอบฉบับที่แก้ไขแล้ว' });

  // An executive reads the notice, without the control.
  const { page: executivePage } = await signedIn(await makeAccount('EXECUTIVE', [code]), path);
  await notice(executivePage).waitFor();
  await executivePage.locator('section[aria-labelledby=ita-measures]').waitFor();
  assert.equal(await previewButton(executivePage).count(), 0, 'an executive cannot move it');

  const { page } = await signedIn(await makeAccount('OPERATOR', [code]), path);
  await notice(page).waitFor();
  await previewButton(page).click();
  await page.locator('table.ita-migrate-moved').waitFor();
  assert.deepEqual(await tableRows(page, 'table.ita-migrate-moved'), [['i1', 'i31']]);
  assert.deepEqual(await page.locator('ul.ita-migrate-dropped li').allInnerTexts(), ['i2']);
  assert.equal(await version(), framework.version, 'the preview stores nothing');
  await expectNoSeriousAxeViolations(page);

  await page.getByRole('button', { name: `ย้ายผลไปกรอบฉบับที่ ${loaded.version}` }).click();
  await page.getByRole('status').filter({ hasText: `ย้ายผลไปกรอบการประเมินฉบับที่ ${loaded.version} แล้ว` }).waitFor();
  assert.equal(await notice(page).count(), 0, 'the analysis no longer names a newer version');
  const moved = await apiAs('SYSTEM', 'GET', `/v1/${name}`);
  assert.equal(moved.framework_version, loaded.version);
  assert.deepEqual(moved.published.items.map((item) => item.code).sort(), ['i3', 'i31']);
  await screenshot(page, 'ita-analysis-migrated');
});

test('an organization name with markup renders as text on the list, the analysis and the report', async () => {
  const executive = await makeAccount('EXECUTIVE', [HOSTILE_ORG]);
  const { page } = await signedIn(executive, `/staff/ita?org=${HOSTILE_ORG}`);
  await page.locator('table.ita-assessments').waitFor();
  assert.ok((await page.locator('.lead').innerText()).includes(HOSTILE), 'the name is shown as typed');
  await expectInert(page);
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, 'ita-list-hostile');

  await page.getByRole('link', { name: 'ดูการวิเคราะห์ปี 2568' }).click();
  await page.locator('#ita-weakness-list').waitFor();
  await page.getByRole('link', { name: 'รายงานการวิเคราะห์สำหรับพิมพ์' }).click();
  await page.locator('.ita-report h1').waitFor();
  const title = await page.locator('.ita-report h1').innerText();
  assert.ok(title.includes(HOSTILE), title);
  await expectInert(page);
  await expectNoSeriousAxeViolations(page);
});

test('an account of every organization names one first; Thai digits are read', async () => {
  const admin = await makeAccount('SYSTEM', []);
  const { page } = await signedIn(admin, '/staff/ita');
  await page.getByLabel('รหัสหน่วยงาน').fill('ไม่ใช่รหัส!');
  await page.getByRole('button', { name: 'ดูผลการประเมิน' }).click();
  await page.getByRole('alert').filter({ hasText: 'รหัสหน่วยงานต้องเป็น' }).waitFor();
  await page.getByLabel('รหัสหน่วยงาน').fill('๖๓๔๐๑๐๑');
  await page.getByRole('button', { name: 'ดูผลการประเมิน' }).click();
  await page.waitForURL((url) => url.search === `?org=${ORG.code}`);
  await page.locator('table.ita-assessments').waitFor();
  assert.equal(await page.locator('table.ita-assessments tbody tr').count(), YEARS.length);
  await expectNoSeriousAxeViolations(page);
});
