import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { hydrated, signIn, watchConsole } from "./helpers";

// Every page, for the role that uses it, in both languages, loads from the server, runs its
// script and wakes its islands without a console error (a hydration mismatch or a blocked
// script under the page's Content-Security-Policy is a bug even when the page looks right) and
// passes axe-core's accessibility rules.
const visits: { role: string; email: string; password: string; lands: RegExp; pages: string[] }[] = [
  { role: "anyone", email: "", password: "", lands: /./, pages: ["/", "/login", "/signup", "/signup/employer", "/forgot-password", "/verify", "/verify?number=JY2026000001&code=ABCDEFGH", "/vacancies", "/vacancies?q=%E4%BC%9A%E8%AE%A1&category=finance&sort=salary", "/vacancies/1", "/vacancies/999999", "/employer/join?token=nonsense", "/fairs", "/fairs/1", "/fairs/999999", "/training", "/training/1", "/training/999999", "/complaints", "/complaints?vacancy=999999", "/complaints/received", "/complaints/status", "/complaints/status?reference=TS-2026-000001", "/no/such/page", "/incubation", "/archive/lookup", "/privacy"] },
  { role: "a graduate", email: "graduate@leshan.example", password: "demo-graduate-2026", lands: /\/my$/, pages: ["/my", "/profile", "/eligibility", "/notifications", "/account", "/vacancies/1", "/my/fairs", "/fairs/1", "/training", "/training/1", "/my/searches", "/vacancies?q=%E4%BC%9A%E8%AE%A1&place=shizhong", "/vacancies/5", "/startup/loan", "/startup/subsidy", "/incubation", "/flexible", "/flexible?lines=2026-07%201200", "/archive", "/account/privacy"] },
  { role: "an employer", email: "employer@leshan.example", password: "demo-employer-2026", lands: /\/account$/, pages: ["/employer/vacancies", "/employer/vacancies/form", "/employer/vacancies/1/applicants", "/employer/team", "/employer/organisation", "/account", "/employer/fairs", "/fairs/1", "/employer/traineeships", "/vacancies/5", "/account/privacy", "/employer/api-tokens"] },
  { role: "a case worker", email: "caseworker@leshan.example", password: "demo-caseworker-2026", lands: /\/staff$/, pages: ["/staff", "/staff?status=approved&assignee=none", "/staff/employers", "/staff/follow-ups?days=7", "/staff/vacancies", "/staff/identity", "/staff/fairs", "/staff/fairs/form", "/staff/fairs/form?id=1", "/fairs/1", "/staff/training", "/staff/training/form", "/staff/training/form?id=1", "/staff/training/1", "/training/1", "/staff/complaints", "/staff/complaints?status=closed&assignee=me", "/staff/complaints/TS-2026-999999", "/complaints", "/vacancies/1", "/staff/vacancies/1/matches", "/staff/vacancies/999999/matches", "/staff/graduates/1", "/staff/traineeships", "/staff/incubation", "/staff/reports", "/staff/reports?from=2026-11-20&to=2026-11-02", "/staff/reports?place=ebian", "/staff/archives", "/staff/archives?q=%E6%9D%8E", "/staff/archives/new", "/staff/archives/import", "/staff/archives/import?run=999999", "/staff/archives/1", "/staff/archives/999999", "/staff/api-tokens"] },
  { role: "an admin", email: "admin@leshan.example", password: "demo-admin-2026", lands: /\/admin$/, pages: ["/admin", "/admin/policy", "/admin/screening", "/staff", "/staff/complaints", "/admin/policy/minimum_wage_monthly_yuan", "/admin/audit", "/admin/audit?action=staff%3Adisabled&from=2026-01-01&to=2026-12-31", "/admin/audit?from=2026-13-01", "/account/privacy", "/staff/api-tokens"] },
];

/** axe-core's findings on the page as it stands, one line per rule and element. */
async function accessibilityViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`));
}

async function chooseLanguage(page: Page, lang: "zh-CN" | "en") {
  const url = new URL(page.url() === "about:blank" ? (process.env.BASE_URL ?? "http://127.0.0.1:3000") : page.url());
  await page.context().addCookies([{ name: "lang", value: lang, url: url.origin }]);
}

test.describe("@foundation pages", () => {
  for (const v of visits) {
    test(`every page ${v.role} uses loads cleanly and passes axe in both languages`, async ({ page }) => {
      test.setTimeout(v.pages.length * 2 * 15_000);
      const problems = watchConsole(page);
      if (v.email) await signIn(page, v.email, v.password, v.lands);
      for (const lang of ["zh-CN", "en"] as const) {
        await chooseLanguage(page, lang);
        for (const path of v.pages) {
          await page.goto(path);
          await hydrated(page);
          await expect(page.locator("html")).toHaveAttribute("lang", lang);
          await expect(page.locator("h1")).toHaveCount(1);
          problems.push(...(await accessibilityViolations(page, `${lang} ${path}`)));
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
