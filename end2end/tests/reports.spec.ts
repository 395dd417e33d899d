import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import { hydrated, signIn, watchConsole } from "./helpers";

test.describe("@reports", () => {
  test("a case worker reads the statistics, is told about a period that ends before it starts, and downloads the dashboard and the queue", async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watchConsole(page);
    await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);

    // From the menu to the dashboard: the figures, both charts with their tables.
    await page.getByRole("navigation").getByRole("link", { name: "统计报表" }).click();
    await expect(page).toHaveURL(/\/staff\/reports$/);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1, name: "统计报表" })).toBeVisible();
    await expect(page.getByText("求职登记", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("img", { name: "每周作出的决定" })).toBeVisible();
    await expect(page.getByRole("img", { name: "各类申请（按提交时间）" })).toBeVisible();
    const weeks = page.locator("#per-week-table tbody tr");
    expect(await weeks.count()).toBeGreaterThanOrEqual(12);

    // A period the wrong way round: the message, and nothing else breaks.
    await page.getByLabel("开始日期").fill("2026-11-20");
    await page.getByLabel("结束日期").fill("2026-11-02");
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/from=2026-11-20&to=2026-11-02/);
    await expect(page.getByRole("alert")).toContainText("开始日期不能晚于结束日期");

    // One place: the download carries the same choice.
    await page.getByLabel("开始日期").fill("");
    await page.getByLabel("结束日期").fill("");
    await page.getByLabel("户籍所在地").selectOption("shizhong");
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/place=shizhong/);
    await expect(page.locator("p.hint").filter({ hasText: "市中区" })).toBeVisible();
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV", exact: true }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^report-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await csv.path())!, "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("市中区");

    // The queue downloads as a workbook.
    await page.goto("/staff?kind=jobseeker_registration");
    await hydrated(page);
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "XLSX", exact: true }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^queue-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = fs.readFileSync((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe("PK");

    expect(problems).toEqual([]);
  });
});
