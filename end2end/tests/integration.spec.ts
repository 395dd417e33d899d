import { test, expect } from "@playwright/test";
import { hydrated, signIn, watchConsole } from "./helpers";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test.describe("@api", () => {
  test("an employer makes a token on the token page, a program posts a vacancy with it, the vacancy is listed, and once the token is revoked it is refused", async ({ page, request }) => {
    test.setTimeout(180_000);
    const problems = watchConsole(page);
    const suffix = String(Date.now()).slice(-6);
    const name = `人事系统${suffix}`;
    const title = `财务助理${suffix}`;

    await signIn(page, "employer@leshan.example", "demo-employer-2026", /\/account$/);
    await page.goto("/employer/api-tokens");
    await hydrated(page);
    await page.getByLabel("名称").fill(name);
    await expect(page.getByLabel("为本单位发布岗位")).toBeChecked();
    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.getByText("令牌已创建")).toBeVisible();
    const token = await page.getByLabel("令牌", { exact: true }).inputValue();
    expect(token).toMatch(/^lsp_[0-9a-f]{64}$/);

    // A program (no cookie, no Origin) posts with the token.
    const auth = { Authorization: `Bearer ${token}` };
    const posted = await request.post("/api/v1/vacancies", {
      headers: auth,
      data: {
        title, description: "负责日常记账和报表，五险一金。", category: "finance", place: "shizhong",
        salary_min: 4500, salary_max: 6500, education: "bachelor", headcount: 1, expires_on: inDays(30),
      },
    });
    expect(posted.status()).toBe(201);
    const made = await posted.json();
    expect(made.status).toBe("published");
    const listed = await request.get(`/api/v1/vacancies/${made.id}`);
    expect(listed.status()).toBe(200);
    expect((await listed.json()).title).toBe(title);
    await page.goto(`/vacancies/${made.id}`);
    await expect(page.getByRole("heading", { name: title })).toBeVisible();

    // Revoked on the page, the token is refused at once.
    await page.goto("/employer/api-tokens");
    await hydrated(page);
    await expect(page.getByLabel("令牌", { exact: true })).toHaveCount(0);
    await page.locator("li.card", { hasText: name }).getByRole("button", { name: "撤销" }).click();
    await expect(page.getByText("令牌已撤销")).toBeVisible();
    await expect(page.locator("li.card", { hasText: name })).toContainText("已撤销");
    const refused = await request.post("/api/v1/vacancies", { headers: auth, data: { title } });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_token");
    expect(problems).toEqual([]);
  });

  test("without JavaScript a case worker makes an export token and sees it once", async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("电子邮箱").fill("caseworker@leshan.example");
    await page.getByLabel("密码").fill("demo-caseworker-2026");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/staff$/);
    await page.goto("/staff/api-tokens");
    await page.getByLabel("名称").fill(`省平台${Date.now()}`);
    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.locator(".error", { hasText: "请至少勾选一项" })).toBeVisible();
    await page.getByLabel("导出求职登记").check();
    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.getByText("令牌已创建")).toBeVisible();
    const token = await page.getByLabel("令牌", { exact: true }).inputValue();
    const res = await page.request.get("/api/v1/registrations?from=2026-01-01&to=2026-12-31", { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(200);
    await page.reload();
    await expect(page.getByLabel("令牌", { exact: true })).toHaveCount(0);
    await context.close();
  });
});
