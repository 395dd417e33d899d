import { test, expect, Page } from "@playwright/test";
import { hydrated, linkIn, readMail, residentId, signIn, uniqueEmail, watchConsole } from "./helpers";

const PASSWORD = "a sentence I remember";

/** A new graduate: signed up, email verified, signed in, with a saved profile (unemployed,
 * left school this year). */
async function newGraduate(page: Page, email: string) {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("姓名").fill("孙小雨");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();
  await page.goto(linkIn(await readMail(email), "/verify-email"));
  await expect(page.getByText("邮箱验证成功")).toBeVisible();
  await signIn(page, email, PASSWORD, /\/my$/);

  const month = String(Math.floor(Math.random() * 9) + 1).padStart(2, "0");
  const day = String(Math.floor(Math.random() * 18) + 10);
  const seq = String(Math.floor(Math.random() * 900) + 100);
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("姓名（与身份证一致）").fill("孙小雨");
  await page.getByLabel("身份证号").fill(residentId(`5111022003${month}${day}${seq}`));
  await page.getByLabel("手机号码").fill("13912345678");
  await page.getByLabel("户籍所在地").selectOption("shizhong");
  await page.getByLabel("毕业院校").fill("乐山师范学院");
  await page.getByLabel("专业", { exact: true }).fill("电子商务");
  await page.getByLabel("学历").selectOption("bachelor");
  await page.getByLabel("毕业时间").fill("2026-06-30");
  await page.getByLabel("毕业证书编号").fill("106141202605008888");
  await page.getByLabel("目前就业状态").selectOption("unemployed");
  await page.getByLabel("意向岗位").fill("电商运营");
  await page.getByLabel("就业见习").check();
  await page.getByRole("button", { name: "保存个人信息" }).click();
  await expect(page.getByText("个人信息已保存。")).toBeVisible();
}

test.describe("@traineeship", () => {
  test("a graduate signs up for a base's traineeship position, the base accepts and records it completed, and the graduate follows it", async ({ page, browser }) => {
    test.setTimeout(240_000);
    const problems = watchConsole(page);
    const email = uniqueEmail("trainee");
    await newGraduate(page, email);

    // The demo employer is a traineeship base: its position takes sign-ups and shows the rules.
    await page.goto("/vacancies?kind=traineeship");
    await hydrated(page);
    await page.getByRole("link", { name: "电商运营见习生" }).first().click();
    await expect(page).toHaveURL(/\/vacancies\/\d+$/);
    await hydrated(page);
    const panel = page.locator("section", { has: page.getByRole("heading", { name: "见习报名" }) });
    await expect(panel.getByText(/共 5 个名额/)).toBeVisible();
    await expect(panel.getByText("目前处于未就业状态")).toBeVisible();
    await panel.getByRole("button", { name: "报名参加见习" }).click();
    await expect(page.getByText("报名成功，已为您保留名额。", { exact: false })).toBeVisible();
    await expect(panel.getByText("已提交，等待受理")).toBeVisible();
    await panel.getByRole("link", { name: "在“我的服务”中查看进度" }).click();
    await expect(page).toHaveURL(/\/my\/applications\/LS-\d{4}-\d{6}$/);
    await hydrated(page);
    const reference = (await page.locator("dd.mono").first().textContent())!.trim();
    await expect(page.getByRole("heading", { name: "见习情况" })).toBeVisible();

    // The base accepts it from today, then records the traineeship completed.
    const base = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    const baseProblems = watchConsole(base);
    await signIn(base, "employer@leshan.example", "demo-employer-2026", /\/account$/);
    await base.getByRole("link", { name: "青年见习" }).click();
    await expect(base).toHaveURL(/\/employer\/traineeships$/);
    await hydrated(base);
    const card = base.locator("li.card", { hasText: reference });
    await card.getByRole("button", { name: "接收" }).click();
    await expect(base.getByText("已接收该报名")).toBeVisible();
    await expect(card.getByText("已通过", { exact: true })).toBeVisible();
    await card.getByLabel("结束情况").selectOption("completed");
    await card.getByRole("button", { name: "登记" }).click();
    await expect(base.getByText("见习结束情况已登记。")).toBeVisible();
    await expect(card.getByText("已办结", { exact: true })).toBeVisible();
    await expect(card.getByText("见习期满")).toBeVisible();

    // The graduate was told by email and sees the traineeship finished in My services.
    expect(await readMail(email)).toContain(reference);
    await page.goto("/my");
    await hydrated(page);
    const mine = page.locator("li.card", { hasText: reference });
    await expect(mine.getByText("青年见习")).toBeVisible();
    await expect(mine.getByText("已办结", { exact: true })).toBeVisible();

    // A case worker sees it with the subsidy due to the base and how it was computed.
    const cw = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    const cwProblems = watchConsole(cw);
    await signIn(cw, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await cw.goto(`/staff/applications/${reference}`);
    await hydrated(cw);
    await expect(cw.getByText(/% × 最低工资 .* 元 × \d+ 个月 = .* 元/)).toBeVisible();

    expect(problems).toEqual([]);
    expect(baseProblems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });
});
