import { test, expect, Browser, Page } from "@playwright/test";
import { actor, hydrated, saveProfile, signIn, signUpAndVerify, threeDigits, uniqueEmail, watchConsole } from "./helpers";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** A new graduate, verified and signed in, with a saved profile (Leshan household, left school
 * 2026-06-30) and `status` as employment status. */
async function founder(page: Page, prefix: string, status: string) {
  const email = uniqueEmail(prefix);
  await signUpAndVerify(page, email, "张创业");
  await saveProfile(page, { name: "张创业", id17: `51110220010815${threeDigits()}`, status, certificate: "106141202605007777", intention: "电商运营" });
  return email;
}

async function caseWorker(browser: Browser): Promise<[Page, string[]]> {
  const page = await actor(browser);
  const problems = watchConsole(page);
  await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
  return [page, problems];
}

/** Sends the one document a form page asks for. */
async function sendDocument(page: Page, purpose: string) {
  await page.locator(`#file-${purpose}`).setInputFiles({ name: "scan.png", mimeType: "image/png", buffer: PNG });
  await page.locator("form.upload").getByRole("button", { name: "上传" }).click();
  await expect(page.getByText("文件已上传。")).toBeVisible();
  await hydrated(page);
}

async function reference(page: Page): Promise<string> {
  await expect(page.getByText("申请已提交")).toBeVisible();
  const r = (await page.locator("dd.mono").first().textContent())!.trim();
  expect(r).toMatch(/^LS-\d{4}-\d{6}$/);
  return r;
}

/** `YYYY-MM-DD` of the same day `n` months ago (the month's last day where it has no such day). */
function monthsAgo(n: number): string {
  const now = new Date(Date.now() + 8 * 3_600_000); // China Standard Time
  const y = now.getUTCFullYear(), m = now.getUTCMonth() - n, d = now.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

test.describe("@startup", () => {
  test("a founder's loan goes through a request for information to approval with terms and disbursement; the subsidy and a place in a base follow", async ({ page, browser }) => {
    test.setTimeout(240_000);
    const problems = watchConsole(page);
    await founder(page, "founder", "self_employed");

    // The loan: the plan first, then the request; above the cap is refused next to the field.
    await page.goto("/startup/loan");
    await hydrated(page);
    await expect(page.getByText("个人最高可贷 500,000.00 元，期限最长 3 年。")).toBeVisible();
    await sendDocument(page, "business_plan");
    await page.getByLabel("贷款金额（元）").fill("600000");
    await page.getByLabel("贷款期限（年）").fill("3");
    await page.getByLabel("创业计划摘要").fill("在乐山开一家茶叶电商，首年营收预计 80 万元。");
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect(page.getByText("超过了政策规定的上限。")).toBeVisible();
    await page.getByLabel("贷款金额（元）").fill("300000");
    await page.getByRole("button", { name: "提交申请" }).click();
    const loan = await reference(page);
    await expect(page.getByText("300,000.00 元")).toBeVisible();

    // The case worker asks for more; the founder answers.
    const [cw, cwProblems] = await caseWorker(browser);
    await cw.goto(`/staff/applications/${loan}`);
    await hydrated(cw);
    await cw.getByLabel("原因（申请人会看到）").first().fill("请补充近三个月的银行流水。");
    await cw.getByRole("button", { name: "要求补充材料" }).click();
    await expect(cw.getByText("已要求申请人补充材料。")).toBeVisible();
    await page.goto(`/my/applications/${loan}`);
    await hydrated(page);
    await page.getByLabel("补充说明（工作人员会看到）").fill("流水已通过邮件发送。");
    await page.getByRole("button", { name: "提交", exact: true }).click();
    await expect(page.getByText("已重新提交。")).toBeVisible();

    // Approval with the terms the case worker grants, then disbursement.
    await cw.goto(`/staff/applications/${loan}`);
    await hydrated(cw);
    await cw.getByLabel("核定金额（元）").fill("250000");
    await cw.getByLabel("核定期限（年）").fill("2");
    await cw.getByRole("button", { name: "批准贷款" }).click();
    await expect(cw.getByText("已通过，申请人会收到通知。")).toBeVisible();
    await expect(cw.getByText("已批准：250,000.00 元，期限 2 年。")).toBeVisible();
    await hydrated(cw);
    await cw.getByRole("button", { name: "办结" }).click();
    await expect(cw.getByText("已办结。")).toBeVisible();
    await page.goto(`/my/applications/${loan}`);
    await expect(page.getByTestId("loan-decision")).toContainText("放款");

    // The one-off subsidy: the amount before submission, six whole months of operation.
    await page.goto("/startup/subsidy");
    await hydrated(page);
    await expect(page.getByTestId("subsidy-amount")).toContainText("补贴金额为 5,000.00 元");
    await sendDocument(page, "startup_evidence");
    await page.getByLabel("经营实体名称").fill("乐山茶语电子商务有限公司");
    await page.getByLabel("营业执照注册号").fill("91511100MA62D6H2X");
    await page.getByLabel("工商登记日期").fill(monthsAgo(6));
    await page.getByLabel("本人承诺这是本人首次创业。").check();
    await page.getByRole("button", { name: "提交申请" }).click();
    const subsidy = await reference(page);
    await expect(page.getByTestId("months-operating")).toHaveText("6");
    await cw.goto(`/staff/applications/${subsidy}`);
    await hydrated(cw);
    await cw.getByRole("button", { name: "通过", exact: true }).click();
    await expect(cw.getByTestId("subsidy-granted")).toContainText("5,000.00 元");

    // A place in the demo base: approval takes the space from its free space.
    await page.goto("/incubation");
    await hydrated(page);
    const base = page.locator("li.card", { hasText: "乐山高新区大学生创业孵化园" });
    const before = Number((await base.getByTestId("free-space").textContent())!.match(/空余 (\d+)/)![1]);
    await page.getByLabel("孵化基地", { exact: true }).selectOption({ label: `乐山高新区大学生创业孵化园 (空余 ${before} 平方米)` });
    await page.getByLabel("所需面积（平方米）").fill("20");
    await page.getByLabel("创业项目介绍").fill("茶叶电商直播间与仓储");
    await page.getByRole("button", { name: "提交申请" }).click();
    const admission = await reference(page);
    await cw.goto(`/staff/applications/${admission}`);
    await hydrated(cw);
    await cw.getByRole("button", { name: "通过", exact: true }).click();
    await expect(cw.getByText("已批准入驻，使用 20 平方米。")).toBeVisible();
    const visitor = await actor(browser);
    await visitor.goto("/incubation");
    await expect(visitor.locator("li.card", { hasText: "乐山高新区大学生创业孵化园" }).getByTestId("free-space")).toContainText(`空余 ${before - 20} 平方米`);

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });
});

test.describe("@flexible", () => {
  test("a flexibly employed graduate sees the subsidy worked out before applying and the case worker approves the same figure", async ({ page, browser }) => {
    test.setTimeout(180_000);
    const problems = watchConsole(page);
    await founder(page, "flexible", "flexible");
    await page.goto("/flexible");
    await hydrated(page);
    await sendDocument(page, "insurance_proof");
    await page.getByLabel("每行一个月：月份和实缴金额（元）").fill("2026-05 500\n2026-07 1200\n2026-08 1200\n2026-09 1800");
    await page.getByRole("button", { name: "计算补贴" }).click();
    await expect(page.getByTestId("flexible-figure")).toHaveText("66.67% × 已缴 4,200.00 元（3 个月）= 2,800.14 元");
    await expect(page.getByText("不计入的月份（离校前、超出年限或超过最长月数）：2026-05")).toBeVisible();
    await hydrated(page);
    await page.getByRole("button", { name: "申请此项补贴" }).click();
    const ref = await reference(page);
    const [cw, cwProblems] = await caseWorker(browser);
    await cw.goto(`/staff/applications/${ref}`);
    await hydrated(cw);
    await cw.getByRole("button", { name: "通过", exact: true }).click();
    await expect(cw.getByText("已通过，申请人会收到通知。")).toBeVisible();
    await expect(cw.getByText("批准时核定")).toBeVisible();
    await expect(cw.getByTestId("flexible-figure")).toHaveText("66.67% × 已缴 4,200.00 元（3 个月）= 2,800.14 元");
    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });
});
