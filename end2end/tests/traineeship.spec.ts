import { test, expect, Page } from "@playwright/test";
import { actor, hydrated, readMail, saveProfile, signIn, signUpAndVerify, threeDigits, uniqueEmail, watchConsole } from "./helpers";

/** A new graduate with a saved profile: unemployed, left school this year. */
async function newGraduate(page: Page, email: string) {
  await signUpAndVerify(page, email, "孙小雨");
  const month = String(Math.floor(Math.random() * 9) + 1).padStart(2, "0");
  const day = String(Math.floor(Math.random() * 18) + 10);
  await saveProfile(page, { name: "孙小雨", id17: `5111022003${month}${day}${threeDigits()}`, status: "unemployed", certificate: "106141202605008888", intention: "电商运营", traineeship: true });
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
    const base = await actor(browser);
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
    const cw = await actor(browser);
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
