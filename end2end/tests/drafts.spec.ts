import { test, expect, Browser, Page } from "@playwright/test";
import { hydrated, saveProfile, signUpAndVerify, threeDigits, uniqueEmail, watchConsole } from "./helpers";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** A new graduate, verified and signed in, with a saved profile (self-employed, Leshan household). */
async function founder(page: Page, prefix: string) {
  await signUpAndVerify(page, uniqueEmail(prefix), "王草稿");
  await saveProfile(page, { name: "王草稿", id17: `51110220020315${threeDigits()}`, status: "self_employed", certificate: "106141202605008888" });
}

/** The same graduate's session in a browser that runs no script at all. */
async function withoutJavaScript(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false, storageState: await page.context().storageState() });
  return context.newPage();
}

test.describe("@drafts", () => {
  test("without JavaScript a half-filled loan form is saved as a draft, comes back on reload, and is gone once the application is sent", async ({ page, browser }) => {
    test.setTimeout(120_000);
    await founder(page, "draft-plain");
    const plain = await withoutJavaScript(browser, page);

    await plain.goto("/startup/loan");
    await expect(plain.getByTestId("documents-needed")).toContainText("创业计划书");
    await expect(plain.getByTestId("draft-note")).toHaveCount(0);
    // Half done, and the amount not even a number: a draft takes it as typed.
    await plain.getByLabel("贷款金额（元）").fill("三十万");
    await plain.getByLabel("创业计划摘要").fill("在乐山开一家茶叶电商。");
    await plain.getByRole("button", { name: "保存草稿" }).click();
    await expect(plain.getByText("草稿已保存")).toBeVisible();

    await plain.goto("/startup/loan");
    await expect(plain.getByTestId("draft-note")).toContainText("草稿保存于");
    await expect(plain.getByLabel("贷款金额（元）")).toHaveValue("三十万");
    await expect(plain.getByLabel("创业计划摘要")).toHaveValue("在乐山开一家茶叶电商。");

    // The plan goes by its own form; the draft stays in the loan form meanwhile.
    await plain.locator("#file-business_plan").setInputFiles({ name: "plan.png", mimeType: "image/png", buffer: PNG });
    await plain.locator("form.upload").getByRole("button", { name: "上传" }).click();
    await expect(plain.getByText("文件已上传。")).toBeVisible();
    await expect(plain.getByLabel("贷款金额（元）")).toHaveValue("三十万");

    await plain.getByLabel("贷款金额（元）").fill("300000");
    await plain.getByLabel("贷款期限（年）").fill("3");
    await plain.getByRole("button", { name: "提交申请" }).click();
    await expect(plain.getByText("申请已提交")).toBeVisible();

    await plain.goto("/startup/loan");
    await expect(plain.getByTestId("draft-note")).toHaveCount(0);
    await expect(plain.getByLabel("贷款金额（元）")).toHaveValue("");
    await expect(plain.getByLabel("创业计划摘要")).toHaveValue("");
  });

  test("with JavaScript the draft is saved where the graduate is, the values stay, and it can be discarded", async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watchConsole(page);
    await founder(page, "draft-js");

    await page.goto("/startup/subsidy");
    await hydrated(page);
    await expect(page.getByTestId("documents-needed")).toContainText("营业执照");
    await page.getByLabel("经营实体名称").fill("乐山茶语电子商务有限公司");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await expect(page.getByText("草稿已保存")).toBeVisible();
    await expect(page.getByTestId("draft-note")).toContainText("草稿保存于");
    await expect(page.getByLabel("经营实体名称")).toHaveValue("乐山茶语电子商务有限公司");

    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel("经营实体名称")).toHaveValue("乐山茶语电子商务有限公司");

    await page.getByRole("button", { name: "丢弃草稿" }).click();
    await expect(page.getByText("草稿已丢弃")).toBeVisible();
    await expect(page.getByTestId("draft-note")).toHaveCount(0);
    await expect(page.getByLabel("经营实体名称")).toHaveValue("");
    expect(problems).toEqual([]);
  });
});
