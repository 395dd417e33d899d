import { test, expect, Page } from "@playwright/test";
import { actor, hydrated, saveProfile, signIn, signUpAndVerify, threeDigits, uniqueEmail, watchConsole } from "./helpers";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

async function signUpWithProfile(page: Page, email: string) {
  await signUpAndVerify(page, email, "赵小川");
  await saveProfile(page, { name: "赵小川", id17: `51110220030505${threeDigits()}`, status: "unemployed", certificate: "106141202605002222" });
}

test.describe("@training", () => {
  test("a graduate enrolls in a course, a case worker records the pass, the graduate claims the subsidy and the case worker approves it", async ({ page, browser }) => {
    test.setTimeout(240_000);
    const problems = watchConsole(page);
    const title = `电工中级班${String(Date.now()).slice(-5)}`;

    // The case worker publishes a course at the demo institution: 1 800 yuan, intermediate.
    await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await page.getByRole("link", { name: "培训管理" }).click();
    await expect(page).toHaveURL(/\/staff\/training$/);
    await hydrated(page);
    await page.getByRole("link", { name: "新建课程" }).click();
    await hydrated(page);
    await page.getByLabel("培训机构").selectOption({ label: "乐山市示例职业技能培训学校" });
    await page.getByLabel("课程名称").fill(title);
    await page.getByLabel("职业（工种）").fill("电工");
    await page.getByLabel("培训类别").selectOption("skills");
    await page.getByLabel("证书等级").selectOption("intermediate");
    await page.getByLabel("开课日期").fill(inDays(10));
    await page.getByLabel("结课日期").fill(inDays(40));
    await page.getByLabel("名额", { exact: true }).fill("20");
    await page.getByLabel("培训地点").selectOption("shizhong");
    await page.getByLabel("详细地址").fill("乐山市市中区职教路 8 号");
    await page.getByLabel("培训费（元）").fill("1800");
    await page.getByLabel("考核合格的学员可申领培训补贴").check();
    await page.getByRole("button", { name: "保存课程" }).click();
    await expect(page.getByText("培训项目已保存。")).toBeVisible();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    const coursePath = new URL(page.url()).pathname;
    expect(coursePath).toMatch(/^\/training\/\d+$/);

    // A new graduate finds it in the public list and enrolls.
    const graduate = await actor(browser);
    const graduateProblems = watchConsole(graduate);
    await signUpWithProfile(graduate, uniqueEmail("trainee"));
    await graduate.goto("/training");
    await hydrated(graduate);
    await graduate.getByRole("link", { name: title }).click();
    await expect(graduate).toHaveURL(new RegExp(`${coursePath}$`));
    await hydrated(graduate);
    await graduate.getByRole("button", { name: "报名参加" }).click();
    await expect(graduate.getByText("报名成功，已为您保留名额。")).toBeVisible();
    await expect(graduate.getByText("剩余 19 个名额（共 20 个）")).toBeVisible();

    // The case worker records the pass with its certificate number.
    await page.goto(`/staff${coursePath}`);
    await hydrated(page);
    const trainee = page.locator("li.card", { hasText: "赵小川" });
    await trainee.getByLabel("培训结果").selectOption("passed");
    await trainee.getByLabel("证书编号").fill("S202612000123");
    await trainee.getByRole("button", { name: "登记结果" }).click();
    await expect(page.getByText("培训结果已登记。")).toBeVisible();

    // The graduate sees the amount and how it is computed, and claims it.
    await graduate.goto("/my");
    await hydrated(graduate);
    const course = graduate.locator("li.card", { hasText: title });
    await expect(course.getByText("合格", { exact: true })).toBeVisible();
    await expect(course.getByText("您已通过该课程考核，可申领培训补贴 1,500.00 元。")).toBeVisible();
    await expect(course.getByText("实缴培训费 1,800.00 元，按中级工（四级）证书补贴上限 1,500.00 元计，补贴 1,500.00 元。")).toBeVisible();
    await course.getByRole("button", { name: "申领培训补贴" }).click();
    await expect(graduate).toHaveURL(/\/my\/applications\/LS-\d{4}-\d{6}/);
    await expect(graduate.getByText("申请已提交，我们已发邮件确认。")).toBeVisible();
    const reference = new URL(graduate.url()).pathname.split("/").pop()!;

    // The case worker sees the claim with its amount in the queue's page and approves it.
    await page.goto(`/staff/applications/${reference}`);
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "培训补贴申领" })).toBeVisible();
    await expect(page.getByText("S202612000123")).toBeVisible();
    await expect(page.getByText("1,500.00 元", { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "通过", exact: true }).click();
    await expect(page.getByText("已通过，申请人会收到通知。")).toBeVisible();

    await graduate.goto(`/my/applications/${reference}`);
    await hydrated(graduate);
    await expect(graduate.getByText("已通过").first()).toBeVisible();

    expect(problems).toEqual([]);
    expect(graduateProblems).toEqual([]);
  });
});
