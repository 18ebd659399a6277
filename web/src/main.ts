// The application's entry: its pages and their paths.

import "./style.css";

import { h } from "./dom";
import { accessesPage } from "./pages/accesses";
import { accountsPage } from "./pages/accounts";
import { annualPage } from "./pages/annual";
import { complaintPage, deskPage } from "./pages/desk";
import { filePage } from "./pages/file";
import { homePage } from "./pages/home";
import { itaAnalysisPage, itaListPage } from "./pages/ita";
import { itaReportPage } from "./pages/ita-report";
import { oversightPage } from "./pages/oversight";
import { securityPage } from "./pages/security";
import { planPage } from "./pages/plan";
import { plansPage } from "./pages/plans";
import { progressPage } from "./pages/progress";
import { retentionPage } from "./pages/retention";
import { passwordPage, signInPage } from "./pages/signin";
import { staffHome } from "./pages/staff";
import { statisticsPage } from "./pages/statistics";
import { trackPage } from "./pages/track";
import { fallback, route, start } from "./router";

route("/", homePage);
route("/complaints/new", filePage("GENERAL"));
route("/corruption/new", filePage("CORRUPTION"));
route("/track", trackPage);
route("/statistics", statisticsPage);
route("/signin", signInPage);
route("/staff", staffHome);
route("/staff/password", passwordPage);
route("/staff/security", securityPage);
route("/staff/complaints", deskPage);
route("/staff/complaint", complaintPage);
route("/staff/identity-accesses", accessesPage);
route("/staff/retention", retentionPage);
route("/staff/accounts", accountsPage);
route("/staff/ita", itaListPage);
route("/staff/ita/analysis", itaAnalysisPage);
route("/staff/ita/report", itaReportPage);
route("/staff/plans", plansPage);
route("/staff/plan", planPage);
route("/staff/annual", annualPage);
route("/staff/progress", progressPage);
route("/staff/oversight", oversightPage);
fallback((main) => {
  main.append(
    h("h1", null, "ไม่พบหน้านี้"),
    h("p", null, h("a", { href: "/" }, "กลับหน้าแรก")),
  );
});
start();
