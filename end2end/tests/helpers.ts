import { expect, test, Browser, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the server writes .eml files (scripts/test.sh sets it; default is the quick start's). */
export const MAIL_DIR = process.env.MAIL_DIR ?? path.join(__dirname, "..", "..", "data", "mail");

/** Collects console errors and uncaught exceptions, hydration errors included. Chromium also
 * logs every 4xx response as a console error; those are answers the tests ask for (a 403 page,
 * a 422 from a form) and are asserted where they happen, so they are left out here. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (msg.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  if (process.env.E2E_DEBUG) page.on("console", (m) => console.log(`[${m.type()}] ${m.text()}`));
  return problems;
}

/** Signs in through the hydrated sign-in form and waits for the role's landing page. */
export async function signIn(page: Page, email: string, password: string, lands: RegExp) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(lands);
}

/** Whether this run's browser runs scripts: the `mobile-nojs` project runs every journey
 * again with JavaScript off. */
export function scriptsOn(): boolean {
  return test.info().project.use.javaScriptEnabled !== false;
}

/** A second person in a journey, in a browser of their own (the same kind as the run's). */
export async function actor(browser: Browser): Promise<Page> {
  return (await browser.newContext({ locale: "zh-CN", javaScriptEnabled: scriptsOn() })).newPage();
}

/** Waits until the page's script has run and its islands are live (a debug bundle on a busy
 * two-core machine can take a while to compile). Without JavaScript there is nothing to wait
 * for. */
export async function hydrated(page: Page) {
  if (!scriptsOn()) return;
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
}

function decodePart(headers: string, body: string): string {
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** The plain-text part of the newest .eml addressed to `to`, waiting for the worker to write it. */
export async function readMail(to: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(MAIL_DIR)) {
      const files = fs
        .readdirSync(MAIL_DIR)
        .filter((f) => f.endsWith(".eml"))
        .sort()
        .reverse();
      for (const file of files) {
        const raw = fs.readFileSync(path.join(MAIL_DIR, file), "utf8");
        if (!new RegExp(`^To: .*${to.replace(/[.+]/g, "\\$&")}`, "mi").test(raw)) continue;
        const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
        const parts = boundary ? raw.split(`--${boundary}`) : [raw];
        for (const part of parts) {
          const split = part.search(/\r?\n\r?\n/);
          if (split < 0) continue;
          const headers = part.slice(0, split);
          if (/content-type:\s*text\/plain/i.test(headers)) return decodePart(headers, part.slice(split).trim());
        }
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email to ${to} in ${MAIL_DIR}`);
}

export function linkIn(text: string, pathPart: string): string {
  const link = text.split(/\s+/).find((w) => w.startsWith("http") && w.includes(pathPart));
  if (!link) throw new Error(`no link to ${pathPart} in:\n${text}`);
  return link;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** A resident ID number with a correct check character (GB 11643). */
export function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

/** A unified social credit code with a correct check character (GB 32100). */
export function creditCode(first17: string): string {
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i], 0);
  const r = 31 - (sum % 31);
  return first17 + chars[r === 31 ? 0 : r];
}

/** The password every account a journey signs up uses. */
export const PASSWORD = "a sentence I remember";

/** Each new person comes from an address of their own, as real people do. The suite's server
 * believes `X-Forwarded-For` from loopback (scripts/test.sh sets PORTAL_TRUSTED_PROXIES), so
 * the limit of sign-ups per address meets one person each, not the suite's dozens from one
 * machine; a server that trusts no proxy ignores the header. */
export async function fromAnAddressOfTheirOwn(page: Page) {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  await page.context().setExtraHTTPHeaders({ "X-Forwarded-For": `10.${octet()}.${octet()}.${octet()}` });
}

/** A new graduate account, as a visitor makes one: the sign-up form, the emailed link, and
 * signed in on "My services". */
export async function signUpAndVerify(page: Page, email: string, name: string) {
  await fromAnAddressOfTheirOwn(page);
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByLabel("我已阅读并同意上述个人信息处理规则").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();
  await page.goto(linkIn(await readMail(email), "/verify-email"));
  await expect(page.getByText("邮箱验证成功")).toBeVisible();
  await signIn(page, email, PASSWORD, /\/my$/);
}

/** What a journey's graduate puts in the profile; the rest is a Leshan household and a
 * bachelor's degree from a local school, 2026-06-30. */
export type ProfileFacts = { name: string; id17: string; status: string; certificate: string; intention?: string; traineeship?: boolean };

/** Saves the signed-in graduate's profile through the form. */
export async function saveProfile(page: Page, p: ProfileFacts) {
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("姓名（与身份证一致）").fill(p.name);
  await page.getByLabel("身份证号").fill(residentId(p.id17));
  await page.getByLabel("手机号码").fill("13912345678");
  await page.getByLabel("户籍所在地").selectOption("shizhong");
  await page.getByLabel("毕业院校").fill("乐山师范学院");
  await page.getByLabel("专业", { exact: true }).fill("电子商务");
  await page.getByLabel("学历").selectOption("bachelor");
  await page.getByLabel("毕业时间").fill("2026-06-30");
  await page.getByLabel("毕业证书编号").fill(p.certificate);
  await page.getByLabel("目前就业状态").selectOption(p.status);
  if (p.intention) await page.getByLabel("意向岗位").fill(p.intention);
  if (p.traineeship) await page.getByLabel("就业见习").check();
  await page.getByRole("button", { name: "保存个人信息" }).click();
  await expect(page.getByText("个人信息已保存。")).toBeVisible();
}

/** Three random digits, so that journeys run again make new ID numbers. */
export function threeDigits(): string {
  return String(Math.floor(Math.random() * 900) + 100);
}
