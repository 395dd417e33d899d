import { test, expect } from "@playwright/test";
import { actor, hydrated, signIn, watchConsole } from "./helpers";

test.describe("@complaint", () => {
  test("a visitor reports a demo vacancy without an account, a case worker suspends it, it leaves the search, and the status page shows the outcome", async ({ browser }) => {
    test.setTimeout(180_000);

    // A visitor, not signed in, opens the newest listed vacancy and reports it from its page.
    const visitor = await actor(browser);
    const problems = watchConsole(visitor);
    await visitor.goto("/vacancies");
    await hydrated(visitor);
    const first = visitor.locator("li.card h2 a").first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
    const vacancyPath = new URL(visitor.url()).pathname;
    await visitor.getByRole("link", { name: "举报此岗位" }).click();
    await expect(visitor).toHaveURL(/\/complaints\?vacancy=\d+$/);
    await hydrated(visitor);
    await expect(visitor.getByText(`您举报的岗位：${title}`)).toBeVisible();
    await visitor.getByLabel("投诉类别").selectOption("false_recruitment");
    await visitor.getByLabel("发生了什么").fill("电话面试后要求先交 500 元押金才能上岗，交钱后对方不再回复。");
    await visitor.getByRole("button", { name: "提交投诉" }).click();
    await expect(visitor).toHaveURL(/\/complaints\/received$/);
    const reference = (await visitor.getByTestId("reference").textContent())!.trim();
    const code = (await visitor.getByTestId("check-code").textContent())!.trim();
    expect(reference).toMatch(/^TS-\d{4}-\d{6}$/);
    expect(code).toMatch(/^[A-Z2-9]{10}$/);

    // The demo case worker finds it in the complaints queue, takes it, suspends the vacancy and
    // closes the complaint as upheld.
    const cw = await actor(browser);
    const cwProblems = watchConsole(cw);
    await signIn(cw, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await cw.getByRole("navigation").getByRole("link", { name: "投诉处理" }).click();
    await expect(cw).toHaveURL(/\/staff\/complaints$/);
    await cw.getByRole("link", { name: reference }).click();
    await hydrated(cw);
    await expect(cw.getByRole("heading", { name: `投诉 ${reference}` })).toBeVisible();
    await expect(cw.getByRole("link", { name: title })).toBeVisible();
    await cw.getByRole("button", { name: "接手处理" }).click();
    await expect(cw.getByText("您已接手这份投诉。")).toBeVisible();
    const suspend = cw.locator("form", { has: cw.getByRole("button", { name: "暂停该岗位" }) });
    await suspend.getByLabel("暂停原因（将通过邮件告知该单位）").fill("以招聘为名收取押金，经核实属实。");
    await suspend.getByRole("button", { name: "暂停该岗位" }).click();
    await expect(cw.getByText("岗位已暂停：它已从岗位搜索和岗位页面撤下，并已发邮件告知该单位。")).toBeVisible();
    await expect(cw.getByText("已暂停", { exact: true })).toBeVisible();
    const close = cw.locator("form", { has: cw.getByRole("button", { name: "办结" }) });
    await close.getByLabel("投诉属实").check();
    await close.getByLabel("处理说明（投诉人可见）").fill("已暂停该岗位，并责令用人单位退还押金。");
    await close.getByRole("button", { name: "办结" }).click();
    await expect(cw.getByText("投诉已办结，投诉人可以查看处理结果。")).toBeVisible();

    // Gone from the search at once, and from its own page.
    await visitor.goto(`/vacancies?q=${encodeURIComponent(title)}`);
    await hydrated(visitor);
    await expect(visitor.getByRole("status")).toBeVisible();
    await expect(visitor.getByRole("link", { name: title })).toHaveCount(0);
    await visitor.goto(vacancyPath);
    await expect(visitor.getByRole("heading", { name: "岗位不存在或已下线" })).toBeVisible();

    // The reporter checks the complaint with the reference and the check code.
    await visitor.goto(`/complaints/status?reference=${reference}`);
    await hydrated(visitor);
    await expect(visitor.getByLabel("受理编号")).toHaveValue(reference);
    await visitor.getByLabel("查询码").fill(code);
    await visitor.getByRole("button", { name: "查询" }).click();
    await expect(visitor.getByText("已办结", { exact: true })).toBeVisible();
    await expect(visitor.getByText("投诉属实", { exact: true })).toBeVisible();
    await expect(visitor.getByText("已暂停该岗位，并责令用人单位退还押金。")).toBeVisible();

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });

  test("a wrong check code gets the same answer as a wrong reference, without JavaScript too", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/complaints/status");
    await page.getByLabel("受理编号").fill("TS-2026-999999");
    await page.getByLabel("查询码").fill("ABCDEFGH23");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page).toHaveURL(/\/complaints\/status$/);
    await expect(page.getByText("没有找到与该受理编号和查询码相符的投诉，请核对后重试。")).toBeVisible();
    await expect(page.getByLabel("查询码")).toHaveValue("");
  });
});
