import { test, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import { fromAnAddressOfTheirOwn, hydrated, linkIn, PASSWORD, readMail, uniqueEmail, watchConsole } from "./helpers";

/** A graduate's whole privacy journey: sign up (consent refused first, then given), read the
 * consent on the privacy page, download the data, delete the account, and fail to sign in. */
async function journey(page: Page, js: boolean) {
  const problems = watchConsole(page);
  const ready = async () => {
    if (js) await hydrated(page);
  };
  const email = uniqueEmail(js ? "privacy" : "privacy-nojs");

  // Sign up without ticking the box: told why, nothing typed is lost.
  await fromAnAddressOfTheirOwn(page);
  await page.goto("/signup");
  await ready();
  await expect(page.getByRole("link", { name: "阅读完整的隐私政策" })).toHaveAttribute("href", "/privacy");
  await page.getByLabel("姓名").fill("赵敏");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.locator("#f-consent-error")).toHaveText("请勾选同意个人信息处理规则后再注册。");
  await expect(page.getByLabel("电子邮箱")).toHaveValue(email);
  await expect(page.getByLabel("姓名")).toHaveValue("赵敏");

  // Consent given.
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByLabel("我已阅读并同意上述个人信息处理规则").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();
  await page.goto(linkIn(await readMail(email), "/verify-email"));
  await expect(page.getByText("邮箱验证成功")).toBeVisible();

  await page.goto("/login");
  await ready();
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/my$/);

  // From the account page to the privacy page; the consent is on record.
  await page.goto("/account");
  await ready();
  await page.getByRole("link", { name: "隐私与我的数据（下载或注销）" }).click();
  await expect(page).toHaveURL(/\/account\/privacy$/);
  await ready();
  await expect(page.getByText(/同意了 2026-12 版隐私政策/)).toBeVisible();
  await expect(page.getByRole("contentinfo").getByRole("link", { name: "隐私政策" })).toHaveAttribute("href", "/privacy");

  // The download: a zip named for today with data.json inside.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载我的数据（zip）" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.length).toBeGreaterThan(200);
  expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  expect(bytes.includes(Buffer.from("data.json"))).toBe(true);

  // Deletion: a wrong password is refused beside the field, the right one deletes.
  await page.getByLabel("输入密码确认注销").fill("not my password");
  await page.getByRole("button", { name: "永久注销我的账号" }).click();
  await expect(page.locator("#f-password-error")).toHaveText("当前密码不正确。");
  await page.getByLabel("输入密码确认注销").fill(PASSWORD);
  await page.getByRole("button", { name: "永久注销我的账号" }).click();
  await expect(page).toHaveURL(/\/\?notice=account_deleted$/);
  await expect(page.getByText("账号已注销")).toBeVisible();
  await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();

  // The old address signs in no more.
  await page.goto("/login");
  await ready();
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("邮箱或密码不正确。")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  expect(problems).toEqual([]);
}

test.describe("@privacy", () => {
  test("a graduate must consent to sign up, downloads their data, deletes the account and can no longer sign in", async ({ page }) => {
    test.setTimeout(120_000);
    await journey(page, true);
  });

  test("the full privacy notice shows its version", async ({ page }) => {
    await page.goto("/privacy");
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1, name: "隐私政策" })).toBeVisible();
    await expect(page.getByTestId("notice-version")).toHaveText("版本：2026-12");
    await expect(page.getByRole("heading", { name: "您的权利" })).toBeVisible();
  });

  test("a case worker is told that staff accounts are disabled by an admin, not deleted", async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
    await page.getByLabel("电子邮箱").fill("caseworker@leshan.example");
    await page.getByLabel("密码").fill("demo-caseworker-2026");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/staff$/);
    await page.goto("/account/privacy");
    await hydrated(page);
    await expect(page.getByText(/工作人员账号不能自行注销/)).toBeVisible();
    await expect(page.getByRole("button", { name: "永久注销我的账号" })).toHaveCount(0);
  });
});

test.describe("@privacy without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same journey works as plain HTML forms and links", async ({ page }) => {
    test.setTimeout(120_000);
    await journey(page, false);
  });
});
