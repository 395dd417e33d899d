//! The portal's foundation: health, sign-up, sign-in and throttling, password reset and change,
//! sessions, the language choice, staff and admin access, the pages, and the demo seed.

use crate::support::*;
use app::account::{Me, Role};
use app::admin::StaffMember;
use app::error::AppError;
use app::staff::PendingEmployer;

on_both_databases!(
    health_and_readiness_answer_in_json,
    a_graduate_signs_up_verifies_the_email_link_and_signs_in,
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    an_account_is_locked_for_a_while_after_five_failed_sign_ins,
    twenty_wrong_passwords_at_once_get_five_answers_and_fifteen_waits,
    sign_ups_reset_requests_and_resends_from_one_address_are_throttled,
    signing_up_with_a_taken_address_looks_the_same_and_tells_the_owner,
    bad_sign_up_input_gets_a_message_per_field_and_never_a_500,
    an_employer_signs_up_with_a_checked_credit_code,
    a_credit_code_is_held_from_a_verified_address_and_a_second_claim_goes_to_a_case_worker,
    a_reset_link_works_once_and_signs_out_every_other_session,
    a_password_reset_or_change_voids_every_other_reset_link,
    a_session_older_than_its_maximum_age_counts_as_signed_out,
    changing_the_password_needs_the_current_one,
    graduates_cannot_read_or_act_on_staff_data,
    a_case_worker_verifies_an_employer_and_the_employer_is_emailed,
    signing_out_ends_the_session_on_the_server,
    the_session_id_changes_at_sign_in_and_the_cookie_is_http_only,
    a_form_posted_without_javascript_comes_back_with_its_errors_and_values,
    the_language_choice_persists_in_a_cookie_and_in_the_account,
    pages_render_in_chinese_by_default_and_unknown_paths_are_404,
    an_admin_creates_a_case_worker_who_sets_a_password_by_email,
    the_demo_seed_can_run_twice,
);

async fn health_and_readiness_answer_in_json(db: Db) {
    let app = spawn_app(db).await;
    // Plain axum handlers, not server functions: there is no app type for these answers.
    let health: serde_json::Value = app.client.get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "ready");

    app.pool.close().await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "a closed database is not ready");
}

async fn a_graduate_signs_up_verifies_the_email_link_and_signs_in(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let res = app.sign_up_graduate("Li.Ming@Example.com", PASSWORD).await;
    assert_eq!(res.status(), 200);

    let (subject, body) = app.last_mail_to("li.ming@example.com").await.expect("a verification email");
    assert!(subject.contains("验证"), "Chinese by default: {subject}");
    let link = link_in(&body, "/verify-email");
    assert!(link.starts_with(&app.base), "links point at this server: {link}");

    // Unverified until the link is opened; the page itself confirms it.
    app.log_in("li.ming@example.com", PASSWORD).await;
    let me = app.me().await.expect("signed in");
    assert_eq!((me.email.as_str(), me.email_verified), ("li.ming@example.com", false));
    let (status, html) = app.page(&path_of(&link)).await;
    assert_eq!(status, 200);
    assert!(html.contains("邮箱验证成功"), "{html}");
    let me = app.me().await.expect("still signed in");
    assert!(me.email_verified);
    assert_eq!(me.role, Role::Graduate);

    // The link is single-use.
    let (_, html) = app.page(&path_of(&link)).await;
    assert!(html.contains("链接无效"));
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("known@example.com", PASSWORD, Role::Graduate).await;
    let wrong = app.log_in("known@example.com", "not the password").await;
    let unknown = app.log_in("nobody@example.com", "not the password").await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(wrong, unknown, "byte for byte");
    let error: AppError = serde_json::from_str(&wrong).unwrap();
    assert!(matches!(error, AppError::Invalid(_)), "{error:?}");
    assert_eq!(app.me().await, None);
}

async fn an_account_is_locked_for_a_while_after_five_failed_sign_ins(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("target@example.com", PASSWORD, Role::Graduate).await;
    for _ in 0..5 {
        assert_eq!(app.log_in("target@example.com", "guess").await.status(), 422);
    }
    let res = app.log_in("target@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429, "even the right password waits");
    match app_error(res).await {
        AppError::TooManyAttempts { minutes } => assert!(minutes >= 14, "locked for {minutes} minutes"),
        other => panic!("expected TooManyAttempts, got {other:?}"),
    }
    // Another account from the same address is not affected.
    app.create_user("other@example.com", PASSWORD, Role::Graduate).await;
    assert_eq!(app.log_in("other@example.com", PASSWORD).await.status(), 200);
}

async fn twenty_wrong_passwords_at_once_get_five_answers_and_fifteen_waits(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("rushed@example.com", PASSWORD, Role::Graduate).await;
    // Twenty guesses in flight together, each on its own connection: the count and the new
    // failure are one step, so only five ever reach the password check.
    let guesses = (0..20).map(|i| {
        let c = client();
        let app = &app;
        async move { app.log_in_as(&c, "rushed@example.com", &format!("guess number {i}")).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let (mut wrong, mut waits) = (0, 0);
    for res in answers {
        match app_error(res).await {
            e @ AppError::Invalid(_) => {
                assert_eq!(e.field_key(""), Some("account.bad_credentials"));
                wrong += 1;
            }
            AppError::TooManyAttempts { minutes } => {
                assert!(minutes >= 14, "locked for {minutes} minutes");
                waits += 1;
            }
            other => panic!("a wrong password gets bad_credentials or a wait, not {other:?}"),
        }
    }
    assert_eq!((wrong, waits), (5, 15), "five guesses checked, the rest wait");
    let res = app.log_in("rushed@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429, "the account is locked for the right password too");
}

async fn sign_ups_reset_requests_and_resends_from_one_address_are_throttled(db: Db) {
    use app::account::ssr::{RESENDS_PER_ADDRESS_PER_HOUR, RESET_REQUESTS_PER_ADDRESS_PER_HOUR, SIGN_UPS_PER_ADDRESS_PER_HOUR};
    let app = spawn_app_with(db, Options::without_worker()).await;
    for i in 0..SIGN_UPS_PER_ADDRESS_PER_HOUR {
        assert_eq!(app.sign_up_graduate(&format!("bulk{i}@example.com"), PASSWORD).await.status(), 200, "sign-up {i}");
    }
    let res = app.sign_up_graduate("one.too.many@example.com", PASSWORD).await;
    match app_error(res).await {
        AppError::TooManyAttempts { minutes } => assert!((59..=60).contains(&minutes), "waits {minutes} minutes"),
        other => panic!("expected TooManyAttempts, got {other:?}"),
    }
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, SIGN_UPS_PER_ADDRESS_PER_HOUR, "the refused sign-up made no account");
    assert_eq!(app.last_mail_to("one.too.many@example.com").await, None, "and sent no mail");

    // Reset requests count whether or not the address has an account.
    for i in 0..RESET_REQUESTS_PER_ADDRESS_PER_HOUR {
        assert_eq!(app.call("forgot_password", &[("email", &format!("someone{i}@example.com"))]).await.status(), 200, "request {i}");
    }
    let before = app.outbox_count().await;
    let res = app.call("forgot_password", &[("email", "bulk0@example.com")]).await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }));
    assert_eq!(app.outbox_count().await, before, "no reset link was sent");

    // Verification resends: each account may ask twice more this hour (its sign-up sent the
    // first link), but one address with many unverified accounts stops after ten.
    let mut resent = 0;
    for i in 0..6 {
        let c = client();
        assert_eq!(app.log_in_as(&c, &format!("bulk{i}@example.com"), PASSWORD).await.status(), 200);
        for _ in 0..2 {
            let res = app.call_as(&c, "resend_verification", &[]).await;
            if resent < RESENDS_PER_ADDRESS_PER_HOUR {
                assert_eq!(res.status(), 200, "resend {resent}");
            } else {
                assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "resend {resent}");
            }
            resent += 1;
        }
    }
}

async fn signing_up_with_a_taken_address_looks_the_same_and_tells_the_owner(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    app.create_user("taken@example.com", PASSWORD, Role::Graduate).await;
    let res = app.sign_up_graduate("taken@example.com", "another password").await;
    assert_eq!(res.status(), 200, "the form cannot tell who is registered");
    let (subject, body) = app.last_mail_to("taken@example.com").await.unwrap();
    assert!(subject.contains("已经") || body.contains("已经有账户"), "{subject} {body}");
    assert!(body.contains("/forgot-password"));
    // And the old password still works: nothing was overwritten.
    assert_eq!(app.log_in("taken@example.com", PASSWORD).await.status(), 200);
}

async fn bad_sign_up_input_gets_a_message_per_field_and_never_a_500(db: Db) {
    let app = spawn_app(db).await;
    let res = app
        .call(
            "signup",
            &[("role", "graduate"), ("display_name", " "), ("email", "not-an-email"), ("password", "short"), ("password_confirm", "x")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let error = app_error(res).await;
    assert_eq!(error.field_key("display_name"), Some("validation.required"));
    assert_eq!(error.field_key("email"), Some("validation.email_invalid"));
    assert_eq!(error.field_key("password"), Some("validation.password_too_short"));

    // A role nobody may pick, and a form with fields missing altogether.
    let res = app.call("signup", &[("role", "admin"), ("display_name", "x"), ("email", "a@b.cn"), ("password", PASSWORD), ("password_confirm", PASSWORD)]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app_error(res).await.field_key("role"), Some("validation.choose_one"));
    let res = app.call("signup", &[("email", "a@b.cn")]).await;
    assert_eq!(res.status(), 422, "missing fields are the sender's mistake, not a server failure");
    assert_eq!(app_error(res).await, AppError::field("", "error.bad_request"));
    assert_eq!(app.outbox_count().await, 0, "nothing was kept");
}

/// Opens the verification link last mailed to `email`.
async fn verify_address(app: &TestApp, email: &str) {
    let (_, body) = app.last_mail_to(email).await.unwrap_or_else(|| panic!("a mail to {email}"));
    let token = query_value(&link_in(&body, "/verify-email?token="), "token");
    assert_eq!(app.call("verify_email", &[("token", &token)]).await.status(), 200, "{email} verifies");
}

async fn an_employer_signs_up_with_a_checked_credit_code(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let form = |code: &'static str, email: &'static str| {
        vec![
            ("role", "employer"),
            ("organisation", "乐山测试有限公司"),
            ("credit_code", code),
            ("display_name", "王芳"),
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("consent", "on"),
        ]
    };
    let res = app.call("signup", &form("91511100MA62D6H2X0", "hr@example.com")).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app_error(res).await.field_key("credit_code"), Some("validation.credit_code_check"));

    assert_eq!(app.call("signup", &form("91511100ma62d6h2xl", "hr@example.com")).await.status(), 200);
    let state: String = sqlx::query_scalar("SELECT verification FROM employers WHERE credit_code = '91511100MA62D6H2XL'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "pending");

    // The same organisation again, from a new address and from the registered one, and a new
    // organisation: the form answers all three alike. A code already given is not checked here
    // (that would tell the form who is registered); it is claimed when an address is verified.
    let new_email = app.call("signup", &form("91511100MA62D6H2XL", "other@example.com")).await;
    let known_email = app.call("signup", &form("91511100MA62D6H2XL", "hr@example.com")).await;
    let fresh = app.call("signup", &form("91511100MA62D6H3XM", "third@example.com")).await;
    let answer = |res: reqwest::Response| async move { (res.status().as_u16(), res.headers().get("location").cloned(), res.text().await.unwrap()) };
    let (new_email, known_email, fresh) = (answer(new_email).await, answer(known_email).await, answer(fresh).await);
    assert_eq!(new_email.0, 200, "{new_email:?}");
    assert_eq!(new_email, known_email, "a taken credit code answers the same for a new and a registered email");
    assert_eq!(new_email, fresh, "and the same as a sign-up that made an account");
    let (subject, _) = app.last_mail_to("hr@example.com").await.expect("the owner hears of the attempt");
    assert!(subject.contains("有人用您的邮箱"), "{subject}");
}

async fn a_credit_code_is_held_from_a_verified_address_and_a_second_claim_goes_to_a_case_worker(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    const CODE: &str = "91511100MA62D6H2XL";
    for (email, organisation) in [("squatter@example.com", "冒用单位"), ("real@example.com", "乐山真实有限公司"), ("idle@example.com", "从未验证单位")] {
        let res = app
            .call("signup", &[("role", "employer"), ("organisation", organisation), ("credit_code", CODE), ("display_name", "联系人"), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")])
            .await;
        assert_eq!(res.status(), 200, "{email}");
    }
    let holder = || async {
        sqlx::query_scalar::<_, String>("SELECT u.email FROM employers e JOIN users u ON u.id = e.user_id WHERE e.credit_code = $1 AND e.claimed_at IS NOT NULL")
            .bind(CODE)
            .fetch_all(&app.pool)
            .await
            .unwrap()
    };
    assert!(holder().await.is_empty(), "nobody holds a code before an address is verified");

    // The first verified address holds it; the second verified claim waits for a case worker
    // and is told so by email. The never-verified one holds nothing.
    verify_address(&app, "squatter@example.com").await;
    assert_eq!(holder().await, ["squatter@example.com"]);
    verify_address(&app, "real@example.com").await;
    assert_eq!(holder().await, ["squatter@example.com"]);
    let (subject, body) = app.last_mail_to("real@example.com").await.unwrap();
    assert!(subject.contains("人工核实") && body.contains("乐山真实有限公司"), "{subject} {body}");

    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let pending: Vec<PendingEmployer> = app.fetch_as(&cw, "staff/pending_employers", &[]).await;
    let emails: Vec<&str> = pending.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(emails, ["squatter@example.com", "real@example.com"], "an address that never answered is not the case workers' work");
    let (squatter, real) = (&pending[0], &pending[1]);
    assert_eq!(squatter.held_by_name, None);
    assert_eq!((real.held_by_name.as_deref(), real.held_by_email.as_deref()), (Some("冒用单位"), Some("squatter@example.com")));

    // The real organisation cannot be verified while the other holds the code; rejecting the
    // other lets the code go, and then it can.
    let (squatter, real) = (squatter.id.to_string(), real.id.to_string());
    let held = app.call_as(&cw, "staff/decide_employer", &[("employer_id", &real), ("decision", "verify")]).await;
    assert_eq!(held.status(), 409);
    assert_eq!(app_error(held).await, AppError::Conflict("staff.code_held_elsewhere".into()));
    let reject = [("employer_id", squatter.as_str()), ("decision", "reject"), ("reason", "营业执照与代码不符")];
    assert_eq!(app.call_as(&cw, "staff/decide_employer", &reject).await.status(), 200);
    assert!(holder().await.is_empty(), "a rejected organisation lets its code go");
    assert_eq!(app.call_as(&cw, "staff/decide_employer", &[("employer_id", &real), ("decision", "verify")]).await.status(), 200);
    assert_eq!(holder().await, ["real@example.com"]);
    let verified: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM employers WHERE credit_code = $1 AND verification = 'verified'")
        .bind(CODE)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(verified, 1);
}

async fn a_reset_link_works_once_and_signs_out_every_other_session(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    app.create_user("forgetful@example.com", PASSWORD, Role::Graduate).await;
    let laptop = client();
    app.log_in_as(&laptop, "forgetful@example.com", PASSWORD).await;
    assert_eq!(app.me_as(&laptop).await.map(|me| me.email).as_deref(), Some("forgetful@example.com"));

    // Unknown addresses get the same answer and no mail.
    let before = app.outbox_count().await;
    assert_eq!(app.call("forgot_password", &[("email", "stranger@example.com")]).await.status(), 200);
    assert_eq!(app.outbox_count().await, before);

    assert_eq!(app.call("forgot_password", &[("email", "forgetful@example.com")]).await.status(), 200);
    let (_, body) = app.last_mail_to("forgetful@example.com").await.unwrap();
    let token = query_value(&link_in(&body, "/reset-password"), "token");

    let res = app.call("reset_password", &[("token", &token), ("password", "a brand new secret"), ("password_confirm", "a different one")]).await;
    assert_eq!(app_error(res).await.field_key("password_confirm"), Some("validation.passwords_differ"));
    let res = app.call("reset_password", &[("token", &token), ("password", "a brand new secret"), ("password_confirm", "a brand new secret")]).await;
    assert_eq!(res.status(), 200);
    let again = app.call("reset_password", &[("token", &token), ("password", "yet another secret"), ("password_confirm", "yet another secret")]).await;
    assert_eq!(again.status(), 409, "a used link is refused");
    assert!(matches!(app_error(again).await, AppError::Conflict(_)));

    assert_eq!(app.me_as(&laptop).await, None, "the laptop was signed out");
    assert_eq!(app.log_in("forgetful@example.com", PASSWORD).await.status(), 422);
    assert_eq!(app.log_in("forgetful@example.com", "a brand new secret").await.status(), 200);
}

/// Asks for a reset link for `email` and returns its token.
async fn reset_token(app: &TestApp, email: &str) -> String {
    assert_eq!(app.call("forgot_password", &[("email", email)]).await.status(), 200);
    let (_, body) = app.last_mail_to(email).await.expect("a reset email");
    query_value(&link_in(&body, "/reset-password"), "token")
}

async fn reset_with(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.call_as(&client(), "reset_password", &[("token", token), ("password", password), ("password_confirm", password)]).await
}

async fn a_password_reset_or_change_voids_every_other_reset_link(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    app.create_user("twice@example.com", PASSWORD, Role::Graduate).await;
    let (first, second) = (reset_token(&app, "twice@example.com").await, reset_token(&app, "twice@example.com").await);
    assert_ne!(first, second);
    assert_eq!(reset_with(&app, &second, "the newest password").await.status(), 200);
    let stale = reset_with(&app, &first, "an attacker's password").await;
    assert_eq!(app_error(stale).await, AppError::Conflict("account.link_invalid".into()), "the older link died with the reset");
    assert_eq!(app.log_in("twice@example.com", "the newest password").await.status(), 200);

    // A link asked for earlier (by the owner, or by someone reading their mail) stops working
    // when the owner changes the password while signed in.
    let pending = reset_token(&app, "twice@example.com").await;
    let res = app.call("change_password", &[("current", "the newest password"), ("password", "changed on purpose"), ("password_confirm", "changed on purpose")]).await;
    assert_eq!(res.status(), 200);
    let stale = reset_with(&app, &pending, "an attacker's password").await;
    assert_eq!(app_error(stale).await, AppError::Conflict("account.link_invalid".into()));
    assert_eq!(app.log_in_as(&client(), "twice@example.com", "changed on purpose").await.status(), 200);
}

async fn a_session_older_than_its_maximum_age_counts_as_signed_out(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("long.lived@example.com", PASSWORD, Role::Graduate).await;
    app.log_in("long.lived@example.com", PASSWORD).await;
    assert!(app.me().await.is_some());

    // The session was used every day (so the idle expiry never struck), but the sign-in is
    // 30 days and a minute old: the default PORTAL_SESSION_MAX_DAYS.
    let (id, data): (String, String) = sqlx::query_as("SELECT id, data FROM sessions WHERE user_id IS NOT NULL").fetch_one(&app.pool).await.unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
    let signed_in_at = data[app::ssr::SESSION_SIGNED_IN_AT_KEY].as_i64().expect("the sign-in time is kept in the session");
    data[app::ssr::SESSION_SIGNED_IN_AT_KEY] = serde_json::json!(signed_in_at - 30 * 24 * 3600 - 60);
    sqlx::query("UPDATE sessions SET data = $1 WHERE id = $2").bind(data.to_string()).bind(&id).execute(&app.pool).await.unwrap();

    assert_eq!(app.me().await, None, "signed out");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1").bind(&id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0, "the expired session is deleted");
    let res = app.call("change_password", &[("current", PASSWORD), ("password", "new password 1"), ("password_confirm", "new password 1")]).await;
    assert_eq!(app_error(res).await, AppError::Unauthorized);
    // Signing in again starts a fresh one.
    app.log_in("long.lived@example.com", PASSWORD).await;
    assert!(app.me().await.is_some());
}

async fn changing_the_password_needs_the_current_one(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("careful@example.com", PASSWORD, Role::Graduate).await;
    let anonymous = app.call("change_password", &[("current", PASSWORD), ("password", "new password 1"), ("password_confirm", "new password 1")]).await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app_error(anonymous).await, AppError::Unauthorized);
    app.log_in("careful@example.com", PASSWORD).await;
    let other_device = client();
    app.log_in_as(&other_device, "careful@example.com", PASSWORD).await;

    let res = app.call("change_password", &[("current", "wrong"), ("password", "new password 1"), ("password_confirm", "new password 1")]).await;
    assert_eq!(app_error(res).await.field_key("current"), Some("account.current_password_wrong"));
    let res = app.call("change_password", &[("current", PASSWORD), ("password", "new password 1"), ("password_confirm", "new password 1")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me().await.map(|me| me.email).as_deref(), Some("careful@example.com"), "this device stays signed in");
    assert_eq!(app.me_as(&other_device).await, None, "the other device is signed out");
}

async fn graduates_cannot_read_or_act_on_staff_data(db: Db) {
    let app = spawn_app(db).await;
    for endpoint in ["staff/pending_employers", "admin/staff", "admin/outbox"] {
        let res = app.call(endpoint, &[]).await;
        assert_eq!(res.status(), 401, "{endpoint} anonymous");
        assert_eq!(app_error(res).await, AppError::Unauthorized, "{endpoint} anonymous");
    }
    app.create_user("grad@example.com", PASSWORD, Role::Graduate).await;
    app.log_in("grad@example.com", PASSWORD).await;
    for endpoint in ["staff/pending_employers", "admin/staff", "admin/outbox"] {
        let res = app.call(endpoint, &[]).await;
        assert_eq!(res.status(), 403, "{endpoint} as graduate");
        assert_eq!(app_error(res).await, AppError::Forbidden, "{endpoint} as graduate");
    }
    let res = app.call("staff/decide_employer", &[("employer_id", "1"), ("decision", "verify")]).await;
    assert_eq!(res.status(), 403);
    let res = app.call("admin/create_case_worker", &[("email", "sneaky@example.com"), ("display_name", "x")]).await;
    assert_eq!(res.status(), 403);

    // The page says so in words and with the status.
    let (status, html) = app.page("/staff").await;
    assert_eq!(status, 403);
    assert!(html.contains("没有权限"), "{html}");

    // A case worker may use the desk but not the admin page.
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let pending: Vec<PendingEmployer> = app.fetch_as(&cw, "staff/pending_employers", &[]).await;
    assert!(pending.is_empty());
    assert_eq!(app.call_as(&cw, "admin/staff", &[]).await.status(), 403);
}

async fn a_case_worker_verifies_an_employer_and_the_employer_is_emailed(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    for (email, code) in [("a@example.com", "91511100MA62D6H2XL"), ("b@example.com", "91511181MA6B7K3P4E")] {
        let res = app
            .call("signup", &[("role", "employer"), ("organisation", "单位"), ("credit_code", code), ("display_name", "联系人"), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")])
            .await;
        assert_eq!(res.status(), 200);
        verify_address(&app, email).await;
    }
    app.create_user("cw@example.com", PASSWORD, Role::CaseWorker).await;
    app.log_in("cw@example.com", PASSWORD).await;
    let pending: Vec<PendingEmployer> = app.fetch("staff/pending_employers", &[]).await;
    assert_eq!(pending.len(), 2);
    let by_email = |email: &str| pending.iter().find(|p| p.email == email).unwrap_or_else(|| panic!("{email} is pending: {pending:?}"));
    let (a, b) = (by_email("a@example.com"), by_email("b@example.com"));
    assert_eq!((a.credit_code.as_str(), a.name.as_str(), a.contact_name.as_str()), ("91511100MA62D6H2XL", "单位", "联系人"));
    let (a, b) = (a.id.to_string(), b.id.to_string());

    assert_eq!(app.call("staff/decide_employer", &[("employer_id", &a), ("decision", "verify")]).await.status(), 200);
    let (subject, _) = app.last_mail_to("a@example.com").await.unwrap();
    assert!(subject.contains("核实"), "{subject}");
    // Deciding twice keeps the first decision.
    let again = app.call("staff/decide_employer", &[("employer_id", &a), ("decision", "reject"), ("reason", "x")]).await;
    assert_eq!(again.status(), 409);

    let no_reason = app.call("staff/decide_employer", &[("employer_id", &b), ("decision", "reject"), ("reason", "  ")]).await;
    assert_eq!(app_error(no_reason).await.field_key("reason"), Some("staff.reason_required"));
    assert_eq!(app.call("staff/decide_employer", &[("employer_id", &b), ("decision", "reject"), ("reason", "代码与营业执照不符")]).await.status(), 200);
    let (_, body) = app.last_mail_to("b@example.com").await.unwrap();
    assert!(body.contains("代码与营业执照不符"));

    let pending: Vec<PendingEmployer> = app.fetch("staff/pending_employers", &[]).await;
    assert!(pending.is_empty(), "every employer was decided: {pending:?}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'employer:%'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audited, 2);
}

async fn signing_out_ends_the_session_on_the_server(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("leaver@example.com", PASSWORD, Role::Graduate).await;
    let res = app.log_in("leaver@example.com", PASSWORD).await;
    let cookie = session_cookie(&res).expect("a session cookie at sign-in");
    assert!(app.me().await.is_some());
    assert_eq!(app.call("logout", &[]).await.status(), 200);

    // Replaying the old cookie from another client finds nothing.
    let replay = app
        .post_from_portal(&reqwest::Client::new(), "/api/me")
        .header("Accept", "application/json")
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(decode::<Option<Me>>(replay).await, None);
}

async fn the_session_id_changes_at_sign_in_and_the_cookie_is_http_only(db: Db) {
    let app = spawn_app(db).await;
    app.create_user("fixated@example.com", PASSWORD, Role::Graduate).await;
    // A failed post to a form without JavaScript stores a flash, which starts a session.
    let res = app.post_plain("login", "/login", &[("email", "fixated@example.com"), ("password", "wrong")]).await;
    let before = session_cookie(&res).expect("session started before sign-in");
    let raw = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join("\n");
    assert!(raw.contains("HttpOnly") && raw.contains("SameSite=Lax"), "{raw}");
    assert!(!raw.contains("Secure"), "plain http in tests");

    let res = app.log_in("fixated@example.com", PASSWORD).await;
    let after = session_cookie(&res).expect("new session cookie");
    assert_ne!(before, after);
}

async fn a_form_posted_without_javascript_comes_back_with_its_errors_and_values(db: Db) {
    let app = spawn_app(db).await;
    let res = app
        .post_plain("signup", "/signup", &[("role", "graduate"), ("display_name", "李明"), ("email", "li@bad"), ("password", "short"), ("password_confirm", "short")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/signup");

    let (status, html) = app.page("/signup").await;
    assert_eq!(status, 200);
    assert!(html.contains("邮箱格式不正确"), "the email message is on the page");
    assert!(html.contains("密码至少需要 8 个字符"), "the password message is on the page");
    assert!(html.contains("value=\"li@bad\""), "the typed address is kept");
    assert!(!html.contains("value=\"short\""), "passwords are never echoed");
    // Shown once: a reload is a clean form.
    let (_, html) = app.page("/signup").await;
    assert!(!html.contains("邮箱格式不正确"));

    // A successful plain post follows the server function's redirect.
    let res = app.post_plain("signup", "/signup", &[("role", "graduate"), ("display_name", "李明"), ("email", "li@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/signup/done");
}

async fn the_language_choice_persists_in_a_cookie_and_in_the_account(db: Db) {
    let app = spawn_app(db).await;
    let (_, html) = app.page("/").await;
    assert!(html.contains("<html lang=\"zh-CN\""));

    app.create_user("polyglot@example.com", PASSWORD, Role::Graduate).await;
    app.log_in("polyglot@example.com", PASSWORD).await;
    let res = app.post_plain("language", "/login", &[("lang", "en"), ("back", "/account")]).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/account");
    let (_, html) = app.page("/account").await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("My account"));
    let saved: String = sqlx::query_scalar("SELECT locale FROM users WHERE email = 'polyglot@example.com'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(saved, "en");

    // On a new device, signing in brings the account's language back.
    let phone = client();
    let res = app.log_in_as(&phone, "polyglot@example.com", PASSWORD).await;
    let cookies: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("lang=en")), "{cookies:?}");

    // A redirect to another site is refused.
    let res = app.post_plain("language", "/", &[("lang", "zh-CN"), ("back", "https://evil.example/")]).await;
    assert_eq!(res.headers()["location"], "/");
}

async fn pages_render_in_chinese_by_default_and_unknown_paths_are_404(db: Db) {
    let app = spawn_app(db).await;
    for path in ["/", "/login", "/signup", "/signup/employer", "/forgot-password", "/reset-password?token=x", "/account"] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("乐山高校毕业生就业服务网"), "{path}");
        assert!(html.contains("/pkg/portal.js"), "{path} loads the hydration script");
        assert!(html.contains("跳到正文"), "{path} has the skip link");
    }
    let (status, html) = app.page("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"));
}

async fn an_admin_creates_a_case_worker_who_sets_a_password_by_email(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    app.create_user("boss@example.com", PASSWORD, Role::Admin).await;
    app.log_in("boss@example.com", PASSWORD).await;
    let res = app.call("admin/create_case_worker", &[("email", "bad"), ("display_name", "")]).await;
    let error = app_error(res).await;
    assert_eq!(error.field_key("email"), Some("validation.email_invalid"));
    assert_eq!(error.field_key("display_name"), Some("validation.required"));

    assert_eq!(app.call("admin/create_case_worker", &[("email", "new.cw@example.com"), ("display_name", "赵磊")]).await.status(), 200);
    let dup = app.call("admin/create_case_worker", &[("email", "new.cw@example.com"), ("display_name", "赵磊")]).await;
    assert_eq!(app_error(dup).await.field_key("email"), Some("admin.email_taken"));

    let (_, body) = app.last_mail_to("new.cw@example.com").await.unwrap();
    let token = query_value(&link_in(&body, "/reset-password"), "token");
    let cw = client();
    let res = app.call_as(&cw, "reset_password", &[("token", &token), ("password", "case worker pw"), ("password_confirm", "case worker pw")]).await;
    assert_eq!(res.status(), 200);
    app.log_in_as(&cw, "new.cw@example.com", "case worker pw").await;
    let me = app.me_as(&cw).await.expect("the case worker is signed in");
    assert_eq!((me.role, me.display_name.as_str()), (Role::CaseWorker, "赵磊"));
    let staff: Vec<StaffMember> = app.fetch("admin/staff", &[]).await;
    let new = staff.iter().find(|m| m.email == "new.cw@example.com").unwrap_or_else(|| panic!("listed: {staff:?}"));
    assert_eq!((new.role, new.active), (Role::CaseWorker, true));
}

async fn the_demo_seed_can_run_twice(db: Db) {
    let app = spawn_app(db).await;
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, 5 + server::demo::QUEUE_GRADUATES.len() as i64);
    // The demo employer's vacancies are published once, and a visitor finds them.
    let listed: app::vacancies::SearchPage = app.fetch_as(&client(), "vacancies/search", &[("q", "见习")]).await;
    assert_eq!(listed.total, 2, "{listed:?}");
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancies").fetch_one(&app.pool).await.unwrap();
    assert_eq!(all, server::cli::DEMO_VACANCIES.len() as i64);
    // One job fair coming up, once, with the demo employer's booth booked and counted.
    let fairs: app::fairs::FairList = app.fetch_as(&client(), "fairs/list", &[]).await;
    assert_eq!(fairs.upcoming.iter().map(|f| (f.title.as_str(), f.booths_taken)).collect::<Vec<_>>(), [(server::cli::DEMO_FAIR, 1)]);
    let fair: app::fairs::FairPage = app.fetch_as(&client(), "fairs/page", &[("id", &fairs.upcoming[0].id.to_string())]).await;
    assert_eq!(fair.participants.iter().map(|p| (p.name.as_str(), p.vacancies.len())).collect::<Vec<_>>(), [("乐山示例科技有限公司", 6)]);
    // One skills course and one startup course open for enrollment, once.
    let courses: Vec<app::training::Programme> = app.fetch_as(&client(), "training/list", &[]).await;
    let kinds: Vec<_> = courses.iter().map(|p| (p.kind, p.seats_taken)).collect();
    assert_eq!(kinds, [(app::training::ProgrammeKind::Skills, 0), (app::training::ProgrammeKind::Startup, 0)], "{courses:?}");
    for (email, password, _, _) in server::cli::DEMO_ACCOUNTS {
        let c = client();
        assert_eq!(app.log_in_as(&c, email, password).await.status(), 200, "{email}");
    }
}
