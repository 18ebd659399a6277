// The application's entry: its pages and their paths.

import "./style.css";

import { h } from "./dom";
import { filePage } from "./pages/file";
import { homePage } from "./pages/home";
import { statisticsPage } from "./pages/statistics";
import { trackPage } from "./pages/track";
import { fallback, route, start } from "./router";

route("/", homePage);
route("/complaints/new", filePage("GENERAL"));
route("/corruption/new", filePage("CORRUPTION"));
route("/track", trackPage);
route("/statistics", statisticsPage);
fallback((main) => {
  main.append(
    h("h1", null, "ไม่พบหน้านี้"),
    h("p", null, h("a", { href: "/" }, "กลับหน้าแรก")),
  );
});
start();
