import { test, expect } from "@playwright/test";
import { fromAnAddressOfTheirOwn, hydrated, linkIn, readMail, signIn, uniqueEmail, watchConsole } from "./helpers";

const PASSWORD = "a sentence I remember";

test.describe("@foundation", () => {
  test("a graduate signs up, verifies by email, signs in, switches language, signs out and is kept out of the staff desk", async ({ page }) => {
    const problems = watchConsole(page);
    const email = uniqueEmail("graduate");

    // Sign up.
    await fromAnAddressOfTheirOwn(page);
    await page.goto("/signup");
    await hydrated(page);
    await expect(page).toHaveTitle(/毕业生注册/);
    await page.getByLabel("姓名").fill("李明");
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
    await page.getByLabel("再次输入密码").fill(PASSWORD);
    await page.getByLabel("我已阅读并同意上述个人信息处理规则").check();
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();

    // Verify with the link from the email the worker wrote.
    const mail = await readMail(email);
    await page.goto(linkIn(mail, "/verify-email"));
    await expect(page.getByText("邮箱验证成功")).toBeVisible();

    // Sign in: the header now offers the account and sign-out.
    await signIn(page, email, PASSWORD, /\/my$/);
    await page.goto("/account");
    await hydrated(page);
    await expect(page.getByText(email)).toBeVisible();
    await expect(page.getByText("已验证")).toBeVisible();

    // Switch to English; the choice sticks across pages.
    await page.getByRole("button", { name: "切换到英文" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Every step after graduation, with you" })).toBeVisible();

    // A graduate cannot open the case workers' desk.
    const response = await page.goto("/staff");
    expect(response?.status()).toBe(403);
    await expect(page.getByText("You do not have access to this page.")).toBeVisible();

    // Sign out.
    await hydrated(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You have signed out.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/account");
    await expect(page.getByText("Please sign in first.")).toBeVisible();

    expect(problems).toEqual([]);
  });

  test("a wrong password gets one message for the whole form, and the fields say what is missing", async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto("/login");
    await hydrated(page);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.locator("#f-email-error")).toHaveText("此项为必填项。");
    await expect(page.getByLabel("电子邮箱")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("电子邮箱").fill("graduate@leshan.example");
    await page.getByLabel("密码").fill("not the password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "邮箱或密码不正确。" })).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test.describe("@foundation without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up errors come back next to the fields and the typed address is kept", async ({ page }) => {
    await fromAnAddressOfTheirOwn(page);
    await page.goto("/signup");
    await page.getByLabel("姓名").fill("李明");
    await page.getByLabel("电子邮箱").fill("li@bad");
    await page.getByLabel("密码", { exact: true }).fill("short");
    await page.getByLabel("再次输入密码").fill("short");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page).toHaveURL(/\/signup$/);
    await expect(page.locator("#f-email-error")).toHaveText(/邮箱格式不正确/);
    await expect(page.locator("#f-password-error")).toHaveText("密码至少需要 8 个字符。");
    await expect(page.getByLabel("电子邮箱")).toHaveValue("li@bad");
    await expect(page.getByLabel("密码", { exact: true })).toHaveValue("");
  });

  test("the demo case worker signs in to the queue and sees the employers waiting for verification", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("电子邮箱").fill("caseworker@leshan.example");
    await page.getByLabel("密码").fill("demo-caseworker-2026");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.getByRole("heading", { name: "待办申请" })).toBeVisible();
    await page.getByRole("link", { name: "待核实的用人单位" }).click();
    await expect(page.getByRole("heading", { name: "待核实的用人单位" })).toBeVisible();
    await expect(page.getByText("峨眉山示例旅游有限公司")).toBeVisible();
  });
});
