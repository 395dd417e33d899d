import { defineConfig, devices } from "@playwright/test";

// Runs against any portal: BASE_URL (default the quick-start address). scripts/test.sh starts
// a fresh, seeded server and points BASE_URL and MAIL_DIR at it.
// Debian's Chromium is used: Playwright's own browser download is not available here.
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry, reported as "flaky" in the summary: a page whose panels make their resources
  // after the vacancy (or the reader) has loaded is sometimes rendered on the server before
  // those resources answer, and then does not hydrate (the server logs "AppState missing").
  // Known, open: see the closing note of 2026-11-30; the fix is to make such resources at the
  // top of the page. A page that fails twice still fails the run.
  retries: 1,
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    locale: "zh-CN",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "mobile", use: { ...devices["Pixel 7"], defaultBrowserType: "chromium" } },
  ],
});
