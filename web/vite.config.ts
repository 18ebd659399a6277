// Builds the single-page application into the directory the gateway serves
// (`--web_root`). CMake passes PRONGSAI_WEB_OUT (build/<tree>/web); the
// built files never enter the repository.
import { defineConfig } from "vite";

// `npm run dev` (or `npx vite preview`) serves the pages with hot reload and
// passes the API through to a running gateway (scripts/run starts one).
const gateway = process.env.PRONGSAI_GATEWAY ?? "http://127.0.0.1:8080";
const proxy = { "/v1": gateway, "/auth": gateway };

export default defineConfig({
  base: "/",
  server: { host: "127.0.0.1", proxy },
  preview: { host: "127.0.0.1", proxy },
  build: {
    outDir: process.env.PRONGSAI_WEB_OUT ?? "dist",
    emptyOutDir: true,
    // Browsers of offices and phones from the last few years.
    target: "es2020",
    // The Content-Security-Policy allows scripts and styles from 'self'
    // only: nothing may be inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
  },
});
