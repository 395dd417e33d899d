import { test, expect, Page } from "@playwright/test";
import { hydrated, linkIn, readMail, residentId, signIn, uniqueEmail, watchConsole } from "./helpers";

const PASSWORD = "a sentence I remember";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

async function signUpWithProfile(page: Page, email: string) {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("姓名").fill("赵小川");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();
  await page.goto(linkIn(await readMail(email), "/verify-email"));
  await expect(page.getByText("邮箱验证成功")).toBeVisible();
  await signIn(page, email, PASSWORD, /\/my$/);
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("姓名（与身份证一致）").fill("赵小川");
  await page.getByLabel("身份证号").fill(residentId(`51110220030505${String(Date.now() % 900 + 100)}`));
  await page.getByLabel("手机号码").fill("13912340001");
  await page.getByLabel("户籍所在地").selectOption("shizhong");
  await page.getByLabel("毕业院校").fill("乐山职业技术学院");
  await page.getByLabel("专业", { exact: true }).fill("电气自动化");
  await page.getByLabel("学历").selectOption("junior_college");
  await page.getByLabel("毕业时间").fill("2026-06-30");
  await page.getByLabel("毕业证书编号").fill("106141202605002222");
  await page.getByLabel("目前就业状态").selectOption("unemployed");
  await page.getByRole("button", { name: "保存个人信息" }).click();
  await expect(page.getByText("个人信息已保存。")).toBeVisible();
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
    const graduate = await (await browser.newContext({ locale: "zh-CN" })).newPage();
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
