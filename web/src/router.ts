// History-API routing of the single-page application: the gateway answers
// every extension-less path with index.html, and links inside the app are
// followed here without a reload.

export type Page = (main: HTMLElement, params: URLSearchParams) => void;

const routes = new Map<string, Page>();
let notFound: Page = () => {};
let leaveWarning: string | null = null;

export function route(path: string, page: Page): void {
  routes.set(path, page);
}

export function fallback(page: Page): void {
  notFound = page;
}

// While set, leaving the page (a link, back, reload, closing the tab) asks
// first: e.g. while a tracking code is shown that has not been noted down.
export function warnBeforeLeaving(message: string | null): void {
  leaveWarning = message;
}

function render(): void {
  const main = document.getElementById("main") as HTMLElement;
  main.replaceChildren();
  const page = routes.get(location.pathname) ?? notFound;
  page(main, new URLSearchParams(location.search));
  const heading = main.querySelector("h1");
  document.title = heading?.textContent
    ? `${heading.textContent} — โปร่งใส`
    : "โปร่งใส";
  main.focus({ preventScroll: true });
}

function mayLeave(): boolean {
  if (leaveWarning === null) return true;
  if (!window.confirm(leaveWarning)) return false;
  leaveWarning = null;
  return true;
}

export function navigate(href: string): void {
  if (!mayLeave()) return;
  history.pushState(null, "", href);
  render();
  window.scrollTo(0, 0);
}

export function start(): void {
  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest("a");
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      link.target ||
      link.hasAttribute("download")
    ) {
      return;
    }
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/v1/")) {
      return;
    }
    if (url.pathname === location.pathname && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  let shown = location.pathname + location.search;
  window.addEventListener("popstate", () => {
    if (!mayLeave()) {
      history.pushState(null, "", shown);
      return;
    }
    shown = location.pathname + location.search;
    render();
  });
  window.addEventListener("beforeunload", (event) => {
    if (leaveWarning !== null) {
      event.preventDefault();
      event.returnValue = leaveWarning;
    }
  });
  render();
}
