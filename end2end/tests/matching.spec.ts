import { test, expect } from "@playwright/test";
import { hydrated, signIn, watchConsole } from "./helpers";

// A graduate saves a search for new matches and deletes it again; "My services" lists the
// vacancies for them; a case worker goes from a vacancy to the graduates who fit it.
test.describe("@matching", () => {
  test("a graduate saves a vacancy search, finds it in their saved searches and deletes it", async ({ page }) => {
    const problems = watchConsole(page);
    await signIn(page, "graduate@leshan.example", "demo-graduate-2026", /\/my$/);
    await expect(page.getByRole("heading", { name: "为您推荐的岗位" })).toBeVisible();

    await page.goto("/vacancies?q=%E4%BC%9A%E8%AE%A1&place=shizhong");
    await hydrated(page);
    await page.getByRole("button", { name: "保存此搜索" }).click();
    await expect(page).toHaveURL(/\/my\/searches\?notice=search_saved$/);
    await expect(page.getByRole("status")).toContainText("搜索已保存");
    const card = page.locator("li.card", { hasText: "“会计” · 市中区" });
    await expect(card).toHaveCount(1);

    await card.getByRole("button", { name: "删除并停止邮件" }).click();
    await expect(page).toHaveURL(/notice=search_deleted$/);
    await expect(page.locator("li.card", { hasText: "“会计” · 市中区" })).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test("a case worker opens the graduates who fit a vacancy from its page", async ({ page }) => {
    const problems = watchConsole(page);
    await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await page.goto("/vacancies/1");
    await hydrated(page);
    await page.getByRole("link", { name: "查看适合此岗位的毕业生" }).click();
    await expect(page).toHaveURL(/\/staff\/vacancies\/1\/matches$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("适合此岗位的毕业生");
    expect(problems).toEqual([]);
  });
});
