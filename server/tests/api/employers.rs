//! Employer teams: invitations by email, members acting for the employer, and removal.

use crate::support::*;
use crate::vacancies::{employer, mine, post};
use app::account::Role;
use app::employers::organisation::{EmployerSize, Organisation, PublicOrganisation};
use app::employers::team::Team;
use app::error::AppError;

on_both_databases!(
    an_invited_colleague_joins_acts_for_the_employer_and_loses_access_at_once_when_removed,
    an_invitation_works_once_and_not_after_it_expires_or_is_withdrawn,
    an_employer_keeps_its_details_up_to_date_and_graduates_see_them_with_the_badge,
    the_business_licence_is_checked_like_any_file_and_opens_for_every_member_and_case_workers_only,
);

/// The newest invitation link mailed to `email`, as a path.
async fn invitation_to(app: &TestApp, email: &str) -> String {
    let (_, body) = app.last_mail_to(email).await.unwrap_or_else(|| panic!("an invitation to {email}"));
    path_of(&link_in(&body, "/employer/join?token="))
}

async fn join(app: &TestApp, c: &reqwest::Client, path: &str, name: &str) -> reqwest::Response {
    let token = query_value(path, "token");
    app.call_as(c, "employer/join", &[("token", &token), ("display_name", name), ("password", PASSWORD), ("password_confirm", PASSWORD)]).await
}

async fn an_invited_colleague_joins_acts_for_the_employer_and_loses_access_at_once_when_removed(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let owner = employer(&app, "owner@example.com", "乐山团队测试有限公司", true).await;
    assert_eq!(post(&app, &owner, "销售代表", "负责门店销售与客户维护。", &[]).await.status(), 200);

    let res = app.call_as(&owner, "employer/invite", &[("email", "not an address")]).await;
    assert_eq!(app_error(res).await.field_key("email"), Some("validation.email_invalid"));
    assert_eq!(app.call_as(&owner, "employer/invite", &[("email", "Colleague@Example.com")]).await.status(), 200);
    let team: Team = app.fetch_as(&owner, "employer/team", &[]).await;
    assert_eq!((team.owner, team.members.len(), team.invites.len()), (true, 1, 1));
    assert_eq!(team.invites[0].email, "colleague@example.com");

    // The colleague opens the link, chooses a name and password, and is signed in as a member.
    let path = invitation_to(&app, "colleague@example.com").await;
    let colleague = client();
    let res = app.call_as(&colleague, "employer/join", &[("token", &query_value(&path, "token")), ("display_name", "赵同事"), ("password", "short"), ("password_confirm", "short")]).await;
    assert_eq!(app_error(res).await.field_key("password"), Some("validation.password_too_short"));
    assert_eq!(join(&app, &colleague, &path, "赵同事").await.status(), 200);
    let me = app.me_as(&colleague).await.expect("signed in");
    assert_eq!((me.role, me.email_verified), (Role::Employer, true));

    // Every member acts for the employer; only the owner manages the team.
    let titles: Vec<String> = mine(&app, &colleague).await.into_iter().map(|v| v.title).collect();
    assert_eq!(titles, ["销售代表"]);
    assert_eq!(post(&app, &colleague, "店长助理", "协助店长排班与盘点。", &[]).await.status(), 200);
    assert_eq!(mine(&app, &owner).await.len(), 2, "the owner sees the colleague's posting");
    let team: Team = app.fetch_as(&colleague, "employer/team", &[]).await;
    assert_eq!((team.owner, team.members.len(), team.invites.len()), (false, 2, 0), "a member does not see invitations");
    assert_eq!(app.call_as(&colleague, "employer/invite", &[("email", "x@example.com")]).await.status(), 403);
    let owner_id = team.members.iter().find(|m| m.owner).unwrap().user_id.to_string();
    assert_eq!(app.call_as(&colleague, "employer/remove_member", &[("user_id", &owner_id)]).await.status(), 403);

    // Another employer cannot remove this one's member.
    let stranger = employer(&app, "stranger@example.com", "别家公司", true).await;
    let member_id = me.id.to_string();
    assert_eq!(app.call_as(&stranger, "employer/remove_member", &[("user_id", &member_id)]).await.status(), 404);

    // Removed: the very next request no longer finds the organisation.
    assert_eq!(app.call_as(&owner, "employer/remove_member", &[("user_id", &member_id)]).await.status(), 200);
    assert_eq!(app.call_as(&colleague, "vacancies/mine", &[]).await.status(), 403);
    assert_eq!(post(&app, &colleague, "又一个岗位", "描述文字足够长。", &[]).await.status(), 403);
    let removed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'employer:member_removed'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(removed, 1);
}

async fn an_invitation_works_once_and_not_after_it_expires_or_is_withdrawn(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let owner = employer(&app, "owner@example.com", "乐山团队测试有限公司", true).await;
    let unverified = employer(&app, "new@example.com", "尚未核实公司", false).await;
    let res = app.call_as(&unverified, "employer/invite", &[("email", "a@example.com")]).await;
    assert_eq!(app_error(res).await.field_key("email"), Some("team.not_verified"));

    app.call_as(&owner, "employer/invite", &[("email", "once@example.com")]).await;
    let once = invitation_to(&app, "once@example.com").await;
    assert_eq!(join(&app, &client(), &once, "一号").await.status(), 200);
    let again = join(&app, &client(), &once, "二号").await;
    assert_eq!(app_error(again).await, AppError::Conflict("account.link_invalid".into()));
    let (_, html) = app.page(&once).await;
    assert!(html.contains("该链接无效"), "the page says the link is used up");

    app.call_as(&owner, "employer/invite", &[("email", "late@example.com")]).await;
    sqlx::query("UPDATE employer_invites SET expires_at = 0 WHERE email = 'late@example.com'").execute(&app.pool).await.unwrap();
    let late = invitation_to(&app, "late@example.com").await;
    assert_eq!(join(&app, &client(), &late, "迟到").await.status(), 409);

    app.call_as(&owner, "employer/invite", &[("email", "revoked@example.com")]).await;
    let team: Team = app.fetch_as(&owner, "employer/team", &[]).await;
    let id = team.invites.iter().find(|i| i.email == "revoked@example.com").unwrap().id.to_string();
    assert_eq!(app.call_as(&owner, "employer/revoke_invite", &[("id", &id)]).await.status(), 200);
    let revoked = invitation_to(&app, "revoked@example.com").await;
    assert_eq!(join(&app, &client(), &revoked, "撤回").await.status(), 409);

    // An address that already has an account cannot take a second one through an invitation.
    app.create_user("taken@example.com", PASSWORD, Role::Graduate).await;
    app.call_as(&owner, "employer/invite", &[("email", "taken@example.com")]).await;
    let taken = invitation_to(&app, "taken@example.com").await;
    assert_eq!(app_error(join(&app, &client(), &taken, "重复").await).await, AppError::field("", "team.address_taken"));
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM employer_members").fetch_one(&app.pool).await.unwrap();
    assert_eq!(members, 1);
}

async fn an_employer_keeps_its_details_up_to_date_and_graduates_see_them_with_the_badge(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let owner = employer(&app, "owner@example.com", "乐山资料测试有限公司", true).await;
    let form = |phone: &'static str| vec![("address", "乐山市市中区嘉州大道1号"), ("industry", "软件"), ("size", "small"), ("contact_phone", phone)];
    let res = app.call_as(&owner, "employer/organisation/save", &form("call me")).await;
    assert_eq!(app_error(res).await.field_key("contact_phone"), Some("organisation.phone_invalid"));
    let res = app.call_as(&owner, "employer/organisation/save", &[("address", ""), ("industry", "软件"), ("size", "huge"), ("contact_phone", "0833-2123456")]).await;
    let error = app_error(res).await;
    assert_eq!((error.field_key("address"), error.field_key("size")), (Some("validation.required"), Some("validation.choose_one")));
    assert_eq!(app.call_as(&owner, "employer/organisation/save", &form("0833-2123456")).await.status(), 200);
    let org: Organisation = app.fetch_as(&owner, "employer/organisation", &[]).await;
    assert_eq!((org.address.as_str(), org.industry.as_str(), org.size, org.contact_phone.as_str()), ("乐山市市中区嘉州大道1号", "软件", EmployerSize::Small, "0833-2123456"));

    // On a listed vacancy anyone sees the organisation with its badge, but not its credit code
    // or contact number; a vacancy that is not listed tells nothing.
    assert_eq!(post(&app, &owner, "前端开发", "负责网页开发。", &[]).await.status(), 200);
    let vacancy = mine(&app, &owner).await.remove(0).id.to_string();
    let public: PublicOrganisation = app.fetch_as(&client(), "employers/of_vacancy", &[("vacancy_id", &vacancy)]).await;
    assert!(public.verified);
    assert_eq!((public.name.as_str(), public.size), ("乐山资料测试有限公司", EmployerSize::Small));
    let (_, html) = app.page(&format!("/vacancies/{vacancy}")).await;
    assert!(html.contains("已核实") && html.contains("嘉州大道1号") && !html.contains("0833-2123456"), "the vacancy page shows the employer");
    let unlisted = app.call_as(&client(), "employers/of_vacancy", &[("vacancy_id", "999999")]).await;
    assert_eq!(unlisted.status(), 404);

    let (graduate, _) = app.signed_in("grad@example.com", Role::Graduate).await;
    assert_eq!(app.call_as(&graduate, "employer/organisation", &[]).await.status(), 403);
    assert_eq!(app.call_as(&graduate, "employer/organisation/save", &form("0833-2123456")).await.status(), 403);
}

async fn send_licence(app: &TestApp, c: &reqwest::Client, bytes: &[u8]) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("licence.png");
    app.post_from_portal(c, "/employer/licence")
        .header("Accept", "text/html")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

async fn the_business_licence_is_checked_like_any_file_and_opens_for_every_member_and_case_workers_only(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let owner = employer(&app, "owner@example.com", "乐山执照测试有限公司", true).await;
    app.call_as(&owner, "employer/invite", &[("email", "colleague@example.com")]).await;
    let colleague = client();
    let path = invitation_to(&app, "colleague@example.com").await;
    assert_eq!(join(&app, &colleague, &path, "赵同事").await.status(), 200);

    // A file that is not a PDF or an image is refused and nothing is kept.
    let refused = send_licence(&app, &colleague, b"<html>not a licence</html>").await;
    assert_eq!(refused.headers().get("location").and_then(|l| l.to_str().ok()), Some("/employer/organisation"));
    let org: Organisation = app.fetch_as(&owner, "employer/organisation", &[]).await;
    assert_eq!(org.licence, None);

    let sent = send_licence(&app, &colleague, crate::applications::PNG).await;
    assert_eq!(sent.headers().get("location").and_then(|l| l.to_str().ok()), Some("/employer/organisation?notice=licence_uploaded"));
    let org: Organisation = app.fetch_as(&owner, "employer/organisation", &[]).await;
    let (id, mime, _) = org.licence.expect("the licence is on file");
    assert_eq!(mime, "image/png");
    let file = |c: reqwest::Client| {
        let url = app.url(&format!("/files/{id}"));
        async move { c.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(file(owner.clone()).await, 200, "the owner opens what a member sent");
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    assert_eq!(file(cw.clone()).await, 200);
    let pending: Vec<app::staff::PendingEmployer> = app.fetch_as(&cw, "staff/pending_employers", &[]).await;
    assert!(pending.is_empty(), "a verified employer is not pending");
    let stranger = employer(&app, "stranger@example.com", "别家公司", true).await;
    assert_eq!(file(stranger).await, 404);
    let (graduate, _) = app.signed_in("grad@example.com", Role::Graduate).await;
    assert_eq!(file(graduate.clone()).await, 404);
    assert_eq!(send_licence(&app, &graduate, crate::applications::PNG).await.status(), 403);
}
