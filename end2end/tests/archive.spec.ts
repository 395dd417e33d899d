import { test, expect } from "@playwright/test";
import { actor, hydrated, readMail, residentId, saveProfile, signIn, signUpAndVerify, threeDigits, uniqueEmail, watchConsole } from "./helpers";

test.describe("@archive", () => {
  test("a case worker records a graduate's archive and its transfer, the graduate sees it, and a visitor looks it up with the check code", async ({ browser }) => {
    test.setTimeout(180_000);

    // A graduate with an account and a profile holding their ID number.
    const graduate = await actor(browser);
    const problems = watchConsole(graduate);
    const email = uniqueEmail("archive");
    const id17 = `5111022003071${threeDigits()}1`;
    await signUpAndVerify(graduate, email, "周档案");
    await saveProfile(graduate, { name: "周档案", id17, status: "unemployed", certificate: `10614120260${threeDigits()}1234` });
    await graduate.goto("/archive");
    await hydrated(graduate);
    await expect(graduate.getByRole("heading", { name: "还没有找到您的档案" })).toBeVisible();

    // The case worker records the archive at the school and reads the check code once.
    const cw = await actor(browser);
    const cwProblems = watchConsole(cw);
    await signIn(cw, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await cw.getByRole("navigation").getByRole("link", { name: "人事档案" }).click();
    await expect(cw).toHaveURL(/\/staff\/archives$/);
    await hydrated(cw);
    await cw.getByRole("link", { name: "登记档案" }).click();
    await expect(cw).toHaveURL(/\/staff\/archives\/new$/);
    await hydrated(cw);
    await cw.getByLabel("姓名").fill("周档案");
    await cw.getByLabel("身份证号").fill(residentId(id17));
    await cw.getByLabel("保管单位类型").selectOption("school");
    await cw.getByLabel("单位名称").fill("乐山职业技术学院");
    await cw.getByRole("button", { name: "登记并生成查询码" }).click();
    await expect(cw).toHaveURL(/\/staff\/archives\/\d+\?notice=archive_added$/);
    await expect(cw.getByText("档案已登记。")).toBeVisible();
    const code = (await cw.locator("[data-check-code]").getAttribute("data-check-code"))!;
    expect(code).toMatch(/^[A-Z2-9]{10}$/);

    // Then the transfer to the Leshan talent service.
    const move = cw.locator("form", { has: cw.getByRole("button", { name: "登记转递" }) });
    await move.getByLabel("保管单位类型").selectOption("talent_service");
    await move.getByLabel("所在地区（人才服务机构必选）").selectOption("shizhong");
    await move.getByLabel("单位名称").fill("乐山市公共就业和人才服务中心");
    await move.getByLabel("转递日期").fill("2026-07-10");
    await move.getByLabel("转递编号").fill("LSDA-2026-0777");
    await move.getByRole("button", { name: "登记转递" }).click();
    await expect(cw.getByText("转递已登记，已通知本人（如有账户）。")).toBeVisible();
    await expect(cw.getByText("LSDA-2026-0777")).toBeVisible();

    // The graduate is emailed and sees where the archive is now, with its history.
    await expect.poll(() => readMail(email), { timeout: 15_000 }).toContain("LSDA-2026-0777");
    expect(await readMail(email)).toMatch(/http:\/\/[^\s]+\/archive\s/);
    await graduate.goto("/archive");
    await hydrated(graduate);
    await expect(graduate.getByRole("heading", { name: "我的人事档案" })).toBeVisible();
    await expect(graduate.getByText("公共就业人才服务机构 · 市中区 · 乐山市公共就业和人才服务中心").first()).toBeVisible();
    await expect(graduate.getByText("LSDA-2026-0777")).toBeVisible();

    // A visitor looks it up with the ID number, the name and the code.
    const visitor = await actor(browser);
    const visitorProblems = watchConsole(visitor);
    await visitor.goto("/");
    await visitor.getByRole("contentinfo").getByRole("link", { name: "档案查询" }).click();
    await expect(visitor).toHaveURL(/\/archive\/lookup$/);
    await hydrated(visitor);
    await visitor.getByLabel("身份证号").fill(residentId(id17));
    await visitor.getByLabel("姓名").fill("周档案");
    await visitor.getByLabel("查询码").fill(code);
    await visitor.getByRole("button", { name: "查询" }).click();
    await expect(visitor.getByText("乐山市公共就业和人才服务中心").first()).toBeVisible();
    await expect(visitor.getByText("LSDA-2026-0777")).toBeVisible();

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
    expect(visitorProblems).toEqual([]);
  });

  test("without JavaScript, the demo archive is found with its code and a wrong name gets the one generic answer", async ({ browser }) => {
    const page = await (await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false })).newPage();
    await page.goto("/archive/lookup");
    await page.getByLabel("身份证号").fill("511102200203151235");
    await page.getByLabel("姓名").fill("李敏");
    await page.getByLabel("查询码").fill("DANGA-N8899");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page.getByText("没有与这些信息相符的档案。请核对身份证号、姓名和查询码后再试。")).toBeVisible();
    // The ID number and the code are never kept for the form after a refusal; the name is.
    await expect(page.getByLabel("姓名")).toHaveValue("李敏");
    await page.getByLabel("身份证号").fill("511102200203151235");
    await page.getByLabel("姓名").fill("李明");
    await page.getByLabel("查询码").fill("DANGA-N8899");
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page).toHaveURL(/\/archive\/lookup$/);
    await expect(page.getByText("乐山市公共就业和人才服务中心").first()).toBeVisible();
  });
});
