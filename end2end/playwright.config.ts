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
  retries: 0,
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
    // Every journey again with JavaScript off, as a phone with scripts blocked or a slow
    // connection that never loads them meets the portal. Left out: tests that already switch
    // JavaScript on or off themselves, and the axe sweep (the markup is the same).
    {
      name: "mobile-nojs",
      use: { ...devices["Pixel 7"], defaultBrowserType: "chromium", javaScriptEnabled: false },
      grepInvert: /JavaScript|@foundation pages/,
    },
  ],
});
