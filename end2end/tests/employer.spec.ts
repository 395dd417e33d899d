import { test, expect } from "@playwright/test";
import { hydrated, signIn, watchConsole } from "./helpers";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test.describe("@employer", () => {
  test("an employer's posting that asks for a deposit waits, a case worker clears it, and a graduate finds it by a two-character keyword", async ({ page, browser }) => {
    test.setTimeout(180_000);
    const problems = watchConsole(page);
    const suffix = String(Date.now()).slice(-5);
    const title = `出纳专员${suffix}`;

    // The demo employer (verified) posts a vacancy whose text asks for a deposit.
    await signIn(page, "employer@leshan.example", "demo-employer-2026", /\/account$/);
    await page.getByRole("link", { name: "我的岗位" }).click();
    await expect(page).toHaveURL(/\/employer\/vacancies$/);
    await hydrated(page);
    await page.getByRole("link", { name: "发布新岗位" }).click();
    await hydrated(page);
    await page.getByLabel("岗位名称").fill(title);
    await page.getByLabel("岗位描述").fill("负责现金收付与银行对账。入职需交押金500元。");
    await page.getByLabel("类别").selectOption("finance");
    await page.getByLabel("工作地点").selectOption("shizhong");
    await page.getByLabel("月薪下限（元）").fill("4000");
    await page.getByLabel("月薪上限（元）").fill("5500");
    await page.getByLabel("学历要求").selectOption("junior_college");
    await page.getByLabel("招聘人数").fill("1");
    await page.getByLabel("岗位类型").selectOption("job");
    await page.getByLabel("招聘截止日期").fill(inDays(30));
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("岗位已提交，工作人员审核后发布。")).toBeVisible();
    await expect(page.getByText("待审核").first()).toBeVisible();

    // Not listed yet.
    const visitor = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    await visitor.goto(`/vacancies?q=${encodeURIComponent("出纳")}`);
    await expect(visitor.getByRole("link", { name: title })).toHaveCount(0);

    // The case worker sees the matched word highlighted and clears the posting.
    const cw = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    const cwProblems = watchConsole(cw);
    await signIn(cw, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await cw.getByRole("link", { name: "待审核岗位" }).click();
    await hydrated(cw);
    const card = cw.locator("li.card", { hasText: title });
    await expect(card.locator("mark", { hasText: "押金" }).first()).toBeVisible();
    await card.getByRole("button", { name: "审核通过并发布" }).click();
    await expect(cw.getByText("没有待审核的岗位。")).toBeVisible();

    // A visitor finds it by typing two characters.
    await visitor.goto("/vacancies");
    await hydrated(visitor);
    await visitor.getByLabel("关键词").fill("出纳");
    await visitor.getByRole("button", { name: "搜索" }).click();
    await visitor.getByRole("link", { name: title }).click();
    await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
    await expect(visitor.getByText("乐山示例科技有限公司")).toBeVisible();

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });
});
