import { test, expect, Browser, Page } from "@playwright/test";
import { actor, hydrated, readMail, residentId, signIn, signUpAndVerify, uniqueEmail, watchConsole } from "./helpers";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

async function caseWorker(browser: Browser): Promise<[Page, string[]]> {
  const page = await actor(browser);
  const problems = watchConsole(page);
  await signIn(page, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
  return [page, problems];
}

test.describe("@jobseeker", () => {
  test("a graduate registers with documents, answers a request for information, is approved and gets a certificate anyone can verify", async ({ page, browser }) => {
    test.setTimeout(180_000);
    const problems = watchConsole(page);
    const email = uniqueEmail("jobseeker");
    const seq = String(Math.floor(Math.random() * 900) + 100);
    const id = residentId(`51110220020301${seq}`);
    await signUpAndVerify(page, email, "王小明");

    // Profile.
    await page.goto("/profile");
    await hydrated(page);
    await page.getByLabel("姓名（与身份证一致）").fill("王小明");
    await page.getByLabel("身份证号").fill(id);
    await page.getByLabel("手机号码").fill("13912345678");
    await page.getByLabel("户籍所在地").selectOption("emeishan");
    await page.getByLabel("毕业院校").fill("乐山师范学院");
    await page.getByLabel("专业", { exact: true }).fill("会计学");
    await page.getByLabel("学历").selectOption("bachelor");
    await page.getByLabel("毕业时间").fill("2026-06-30");
    await page.getByLabel("毕业证书编号").fill("106141202605009999");
    await page.getByLabel("目前就业状态").selectOption("unemployed");
    await page.getByLabel("意向岗位").fill("会计、出纳");
    await page.getByLabel("岗位推荐").check();
    await page.getByRole("button", { name: "保存个人信息" }).click();
    await expect(page.getByText("个人信息已保存。")).toBeVisible();
    await expect(page.getByText("2002-03-01")).toBeVisible();

    // Documents: checked by content.
    await page.locator("#file-id_card").setInputFiles({ name: "id.png", mimeType: "image/png", buffer: PNG });
    await page.locator("form.upload").first().getByRole("button", { name: "上传" }).click();
    await expect(page.getByText("文件已上传。")).toBeVisible();
    await page.locator("#file-graduation_certificate").setInputFiles({ name: "diploma.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf at all") });
    await page.locator("form.upload").nth(1).getByRole("button", { name: "上传" }).click();
    await expect(page.getByText(/只能上传 PDF、JPG 或 PNG/)).toBeVisible();
    await page.locator("#file-graduation_certificate").setInputFiles({ name: "diploma.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%test\n") });
    await page.locator("form.upload").nth(1).getByRole("button", { name: "上传" }).click();
    await expect(page.getByText("文件已上传。")).toBeVisible();

    // What can I apply for → apply.
    await page.goto("/eligibility");
    await hydrated(page);
    const registration = page.locator("li.card").filter({ hasText: "求职登记（失业登记）" });
    await expect(registration.getByText("符合条件")).toBeVisible();
    await registration.getByRole("button", { name: "立即申请" }).click();
    await expect(page.getByText("申请已提交")).toBeVisible();
    const reference = (await page.locator("dd.mono").first().textContent())!.trim();
    expect(reference).toMatch(/^LS-\d{4}-\d{6}$/);

    // A case worker asks for more information.
    const [cw, cwProblems] = await caseWorker(browser);
    await cw.goto(`/staff/applications/${reference}`);
    await hydrated(cw);
    // Staff see the area code and the last character only, and an age instead of the birth date.
    await expect(cw.getByText(`${id.slice(0, 6)}***********${id.slice(17)}`)).toBeVisible();
    await expect(cw.getByText("2002-03-01")).toHaveCount(0);
    await cw.getByLabel("原因（申请人会看到）").first().fill("毕业证书扫描件不完整，请补充第二页。");
    await cw.getByRole("button", { name: "要求补充材料" }).click();
    await expect(cw.getByText("已要求申请人补充材料。")).toBeVisible();

    // The graduate reads it in the email and answers.
    await expect.poll(async () => readMail(email).then((m) => m.includes("请补充第二页")), { timeout: 15_000 }).toBe(true);
    await page.goto(`/my/applications/${reference}`);
    await hydrated(page);
    await expect(page.getByText("需要补充材料").first()).toBeVisible();
    await page.getByLabel("补充说明（工作人员会看到）").fill("已补充第二页。");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.getByText("已重新提交。")).toBeVisible();

    // The case worker approves; the graduate is told by email.
    await cw.goto(`/staff/applications/${reference}`);
    await hydrated(cw);
    await cw.getByRole("button", { name: "通过", exact: true }).click();
    await expect(cw.getByText("已通过，申请人会收到通知。")).toBeVisible();
    await expect.poll(async () => readMail(email).then((m) => m.includes("已通过")), { timeout: 15_000 }).toBe(true);

    // The certificate.
    await page.goto("/eligibility");
    await hydrated(page);
    const certificate = page.locator("li.card").filter({ hasText: "申领《就业登记证》" });
    await certificate.getByRole("button", { name: "立即申请" }).click();
    await expect(page.getByText("申请已提交")).toBeVisible();
    const certRef = (await page.locator("dd.mono").first().textContent())!.trim();
    await cw.goto(`/staff/applications/${certRef}`);
    await hydrated(cw);
    await cw.getByRole("button", { name: "通过", exact: true }).click();
    await expect(cw.getByText("已发放就业登记证")).toBeVisible();

    await page.goto(`/my/applications/${certRef}`);
    await page.getByRole("link", { name: /^JY/ }).click();
    await expect(page.getByRole("heading", { name: "就业登记证" })).toBeVisible();
    const facts = page.locator("article.certificate dd.mono");
    const number = (await facts.nth(0).textContent())!.trim();
    const code = (await facts.nth(2).textContent())!.trim();

    // Anyone can check it.
    const visitor = await (await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false })).newPage();
    await visitor.goto("/verify");
    await visitor.getByLabel("证书编号").fill(number);
    await visitor.getByLabel("查验码").fill(code);
    await visitor.getByRole("button", { name: "查验" }).click();
    await expect(visitor.getByText("证书有效。")).toBeVisible();
    await expect(visitor.getByText("王**")).toBeVisible();

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
  });
});
