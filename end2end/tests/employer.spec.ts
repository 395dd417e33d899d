import { test, expect } from "@playwright/test";
import { fromAnAddressOfTheirOwn, actor, creditCode, hydrated, linkIn, readMail, residentId, signIn, uniqueEmail, watchConsole } from "./helpers";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test.describe("@employer", () => {
  test("an employer signs up and is verified, its posting that asks for a deposit waits, a case worker clears it, a graduate finds it by a two-character keyword and applies, and is hired", async ({ page, browser }) => {
    test.setTimeout(300_000);
    const problems = watchConsole(page);
    const suffix = String(Date.now()).slice(-5);
    const title = `出纳专员${suffix}`;

    const organisation = `乐山出纳测试${suffix}有限公司`;
    const employerEmail = uniqueEmail("employer");

    // A new employer signs up with a checked credit code and verifies the address.
    await fromAnAddressOfTheirOwn(page);
    await page.goto("/signup/employer");
    await hydrated(page);
    await page.getByLabel("单位名称").fill(organisation);
    await page.getByLabel("统一社会信用代码").fill(creditCode(`91511100MA6${suffix}X`));
    await page.getByLabel("联系人姓名").fill("周经理");
    await page.getByLabel("电子邮箱").fill(employerEmail);
    await page.getByLabel("密码", { exact: true }).fill("a sentence I remember");
    await page.getByLabel("再次输入密码").fill("a sentence I remember");
    await page.getByLabel("我已阅读并同意上述个人信息处理规则").check();
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page.getByRole("heading", { name: "请查收验证邮件" })).toBeVisible();
    await page.goto(linkIn(await readMail(employerEmail), "/verify-email"));
    await expect(page.getByText("邮箱验证成功")).toBeVisible();

    // A case worker checks the organisation and verifies it.
    const cw = await actor(browser);
    const cwProblems = watchConsole(cw);
    await signIn(cw, "caseworker@leshan.example", "demo-caseworker-2026", /\/staff$/);
    await cw.goto("/staff/employers");
    await hydrated(cw);
    await cw.locator("li.card", { hasText: organisation }).getByRole("button", { name: "核实通过" }).click();
    await expect(cw.locator("li.card", { hasText: organisation })).toHaveCount(0);

    // The employer, now verified, posts a vacancy whose text asks for a deposit.
    await signIn(page, employerEmail, "a sentence I remember", /\/account$/);
    await page.getByRole("link", { name: "我的岗位" }).click();
    await expect(page).toHaveURL(/\/employer\/vacancies$/);
    await hydrated(page);
    await page.getByRole("link", { name: "发布新岗位" }).click();
    await hydrated(page);
    await page.getByLabel("岗位名称").fill(title);
    await page.getByLabel("岗位描述").fill("负责现金收付与银行对账。入职需交押金500元。");
    await page.getByLabel("类别").selectOption("finance");
    await page.getByLabel("工作地点").selectOption("shizhong");
    await page.getByLabel("月薪下限（元）").fill("4000");
    await page.getByLabel("月薪上限（元）").fill("5500");
    await page.getByLabel("学历要求").selectOption("junior_college");
    await page.getByLabel("招聘人数").fill("1");
    await page.getByLabel("岗位类型").selectOption("job");
    await page.getByLabel("招聘截止日期").fill(inDays(30));
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("岗位已提交，工作人员审核后发布。")).toBeVisible();
    await expect(page.getByText("待审核").first()).toBeVisible();

    // Not listed yet.
    const visitor = await actor(browser);
    await visitor.goto(`/vacancies?q=${encodeURIComponent("出纳")}`);
    await expect(visitor.getByRole("link", { name: title })).toHaveCount(0);

    // The case worker sees the matched word highlighted and clears the posting.
    await cw.goto("/staff");
    await cw.getByRole("link", { name: "待审核岗位" }).click();
    await hydrated(cw);
    const card = cw.locator("li.card", { hasText: title });
    await expect(card.locator("mark", { hasText: "押金" }).first()).toBeVisible();
    await card.getByRole("button", { name: "审核通过并发布" }).click();
    await expect(cw.getByText("没有待审核的岗位。")).toBeVisible();

    // A visitor finds it by typing two characters.
    await visitor.goto("/vacancies");
    await hydrated(visitor);
    await visitor.getByLabel("关键词").fill("出纳");
    await visitor.getByRole("button", { name: "搜索" }).click();
    await visitor.getByRole("link", { name: title }).click();
    await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
    await expect(visitor.getByText(organisation).first()).toBeVisible();
    await expect(visitor.getByText("已核实")).toBeVisible();
    const vacancyUrl = visitor.url();
    await expect(visitor.getByRole("link", { name: "以毕业生身份登录后应聘" })).toBeVisible();

    // The demo graduate saves a profile and applies with a note.
    const grad = await actor(browser);
    const gradProblems = watchConsole(grad);
    await signIn(grad, "graduate@leshan.example", "demo-graduate-2026", /\/my$/);
    await grad.goto("/profile");
    await hydrated(grad);
    await grad.getByLabel("姓名（与身份证一致）").fill("张小雨");
    await grad.getByLabel("身份证号").fill(residentId(`51112320010401${suffix.slice(-3)}`));
    await grad.getByLabel("手机号码").fill("13812340000");
    await grad.getByLabel("户籍所在地").selectOption("shizhong");
    await grad.getByLabel("毕业院校").fill("乐山职业技术学院");
    await grad.getByLabel("专业", { exact: true }).fill("会计");
    await grad.getByLabel("学历").selectOption("junior_college");
    await grad.getByLabel("毕业时间").fill("2026-06-30");
    await grad.getByLabel("毕业证书编号").fill("106141202605001111");
    await grad.getByLabel("目前就业状态").selectOption("unemployed");
    await grad.getByRole("button", { name: "保存个人信息" }).click();
    await expect(grad.getByText("个人信息已保存。")).toBeVisible();
    await grad.goto(vacancyUrl);
    await hydrated(grad);
    await grad.getByLabel("给用人单位的话（选填）").fill("做过两年兼职出纳。");
    await grad.getByRole("button", { name: "应聘" }).click();
    await expect(grad.getByText("应聘已提交，用人单位将看到您的个人信息。")).toBeVisible();
    await expect(grad.getByText("已应聘")).toBeVisible();

    // The employer moves the applicant: shortlist, interview, offer, hire.
    await page.goto("/employer/vacancies");
    await hydrated(page);
    await page.locator("li.card", { hasText: title }).getByRole("link", { name: "应聘人员" }).click();
    await expect(page).toHaveURL(/\/applicants$/);
    await hydrated(page);
    const applicant = page.locator("li.card", { hasText: "张小雨" });
    await expect(applicant.getByText("做过两年兼职出纳。")).toBeVisible();
    const move = async (action: string, fill?: () => Promise<void>) => {
      await applicant.getByLabel("下一步").selectOption(action);
      if (fill) await fill();
      await applicant.getByRole("button", { name: "保存并通知毕业生" }).click();
      await expect(page.getByText("已保存，毕业生会收到邮件通知。")).toBeVisible();
    };
    await move("shortlist");
    await move("interview", async () => {
      await applicant.getByLabel("面试日期和时间").fill(`${inDays(3)}T10:00`);
      await applicant.getByLabel("面试地点").fill("市中区嘉州大道1号三楼");
    });
    // The worker sends each move's email a moment later; wait for the newest to be this one.
    await expect.poll(() => readMail("graduate@leshan.example"), { timeout: 15_000 }).toContain("市中区嘉州大道1号三楼");
    await move("offer");
    await move("hire");
    await expect(applicant.getByText("已录用")).toBeVisible();
    await expect.poll(() => readMail("graduate@leshan.example"), { timeout: 15_000 }).toContain("已录用");

    // The graduate confirms starting; the profile now says employed.
    await grad.goto("/my");
    await hydrated(grad);
    const job = grad.locator("li.card", { hasText: title });
    await expect(job.getByText("已录用").first()).toBeVisible();
    await job.getByRole("button", { name: "我已入职" }).click();
    await expect(grad.getByText("您已确认入职。")).toBeVisible();
    await grad.goto("/profile");
    await expect(grad.getByLabel("目前就业状态")).toHaveValue("employed");

    expect(problems).toEqual([]);
    expect(cwProblems).toEqual([]);
    expect(gradProblems).toEqual([]);
  });
});
