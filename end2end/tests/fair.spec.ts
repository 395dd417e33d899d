import { test, expect } from "@playwright/test";
import { actor, hydrated, signIn, watchConsole } from "./helpers";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test.describe("@fair", () => {
  test("a case worker announces a fair, the demo employer books a booth, a graduate signs up, and the fair's page lists the employer", async ({ page, browser }) => {
    test.setTimeout(180_000);
    const problems = watchConsole(page);
    const title = `乐山春季招聘会${String(Date.now()).slice(-5)}`;

    // The case worker announces an offline fair with five booths.
    await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await page.getByRole("link", { name: "招聘会管理" }).click();
    await expect(page).toHaveURL(/\/staff\/fairs$/);
    await hydrated(page);
    await page.getByRole("link", { name: "新建招聘会" }).click();
    await hydrated(page);
    await page.getByLabel("招聘会名称").fill(title);
    await page.getByLabel("招聘会介绍").fill("财务、软件、旅游等岗位现场洽谈。");
    await page.getByLabel("形式").selectOption("offline");
    await page.getByLabel("地点").fill("乐山市人力资源市场二楼");
    await page.getByLabel("展位数").fill("5");
    await page.getByLabel("日期", { exact: true }).fill(inDays(14));
    await page.getByLabel("开始时间").fill("09:00");
    await page.getByLabel("结束时间").fill("12:00");
    await page.getByRole("button", { name: "保存招聘会" }).click();
    await expect(page.getByText("招聘会已保存。")).toBeVisible();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    const fairPath = new URL(page.url()).pathname;
    expect(fairPath).toMatch(/^\/fairs\/\d+$/);

    // The demo employer finds it in the public list and books a booth.
    const employer = await actor(browser);
    const employerProblems = watchConsole(employer);
    await signIn(employer, "employer@leshan.example", "demo-employer-2026", /\/account$/);
    await employer.getByRole("link", { name: "招聘会", exact: true }).first().click();
    await expect(employer).toHaveURL(/\/fairs$/);
    await hydrated(employer);
    await employer.getByRole("link", { name: title }).click();
    await expect(employer).toHaveURL(new RegExp(`${fairPath}$`));
    await hydrated(employer);
    await employer.getByRole("button", { name: "预订展位" }).click();
    await expect(employer.getByText("展位预订成功。")).toBeVisible();
    await expect(employer.getByText("已订 1 / 共 5")).toBeVisible();
    await employer.getByRole("link", { name: "招聘会展位" }).click();
    await expect(employer.getByRole("link", { name: title })).toBeVisible();

    // A graduate signs up to come, and finds the fair under "My job fairs".
    const graduate = await actor(browser);
    const graduateProblems = watchConsole(graduate);
    await signIn(graduate, "graduate@leshan.example", "demo-graduate-2026", /\/my$/);
    await graduate.goto(fairPath);
    await hydrated(graduate);
    await graduate.getByRole("button", { name: "报名参加" }).click();
    await expect(graduate.getByText("报名成功，我们会在前一天发邮件提醒您。")).toBeVisible();
    await graduate.goto("/my");
    await hydrated(graduate);
    await graduate.getByRole("link", { name: "我的招聘会" }).click();
    await expect(graduate.getByRole("link", { name: title })).toBeVisible();

    // Anyone reading the fair's page sees the employer and its vacancies.
    const visitor = await actor(browser);
    await visitor.goto(fairPath);
    await hydrated(visitor);
    const participants = visitor.locator("li.card", { hasText: "乐山示例科技有限公司" });
    await expect(participants).toBeVisible();
    await expect(participants.getByRole("link", { name: "财务会计助理" })).toBeVisible();
    await expect(visitor.getByText("已订 1 / 共 5")).toBeVisible();

    expect(problems).toEqual([]);
    expect(employerProblems).toEqual([]);
    expect(graduateProblems).toEqual([]);
  });
});
