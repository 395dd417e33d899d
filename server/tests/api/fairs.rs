//! Job fairs through HTTP on both databases: booth and place capacity under a crowd of
//! simultaneous bookings, one booth per employer, who may hold and book what, cancelling, the
//! fair's page, and the day-before reminder queued exactly once.

use crate::support::*;
use app::account::Role;
use app::error::AppError;
use app::fairs::{FairList, FairPage, Viewer};
use app::shared::time::Date;

on_both_databases!(
    a_hundred_employers_racing_for_ten_booths_get_exactly_ten,
    graduates_racing_for_the_last_places_get_exactly_as_many_as_there_are,
    an_employer_books_one_booth_per_fair_and_cancelling_frees_it_for_another,
    only_verified_employers_book_and_only_case_workers_hold_fairs,
    bad_fair_input_is_refused_per_field_and_a_limit_cannot_drop_below_the_bookings,
    the_reminder_is_queued_once_the_day_before_and_not_for_cancelled_bookings,
);

fn day(offset: i64) -> String {
    Date::from_days(Date::today_from_unix(app::ssr::now()).days_from_epoch() + offset).to_string()
}

/// `n` accounts of `role` named `<prefix>-<i>@example.com`, each signed in on its own client.
/// One password hash is computed and copied, so a hundred accounts cost a hundred sign-ins,
/// not two hundred hashes.
pub(crate) async fn crowd(app: &TestApp, prefix: &str, n: usize, role: Role) -> Vec<(reqwest::Client, i64)> {
    let first = app.create_user(&format!("{prefix}-0@example.com"), PASSWORD, role).await;
    let mut ids = vec![first];
    for i in 1..n {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, password_hash, role, display_name, locale, email_verified_at, created_at) \
             SELECT $1, password_hash, role, display_name, locale, email_verified_at, created_at FROM users WHERE id = $2 RETURNING id",
        )
        .bind(format!("{prefix}-{i}@example.com"))
        .bind(first)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        ids.push(id);
    }
    let mut out = Vec::new();
    // A few sign-ins at a time: the server hashes on as many threads as there are cores.
    for chunk in ids.chunks(8) {
        let signed = futures::future::join_all(chunk.iter().map(|id| async move {
            let c = client();
            let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(*id).fetch_one(&app.pool).await.unwrap();
            assert_eq!(app.log_in_as(&c, &email, PASSWORD).await.status(), 200, "{email} signs in");
            (c, *id)
        }))
        .await;
        out.extend(signed);
    }
    out
}

/// Gives the employer user an organisation (verified or not); returns its id.
async fn organisation(app: &TestApp, user_id: i64, name: &str, verified: bool) -> i64 {
    let code = format!("91511100MA6{:06}", user_id);
    let code = app::account::CreditCode::with_check_char(&code[..17]).expect("credit code");
    sqlx::query_scalar("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, $4, 0) RETURNING id")
        .bind(user_id)
        .bind(name)
        .bind(code)
        .bind(if verified { "verified" } else { "pending" })
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn employer(app: &TestApp, email: &str, name: &str, verified: bool) -> (reqwest::Client, i64) {
    let (c, user_id) = app.signed_in(email, Role::Employer).await;
    (c, organisation(app, user_id, name, verified).await)
}

/// A fair made through the case workers' form; returns its id.
async fn hold_fair(app: &TestApp, cw: &reqwest::Client, title: &str, held_on: &str, booths: &str, seats: &str) -> i64 {
    let res = app
        .call_as(
            cw,
            "fairs/save",
            &[
                ("title", title),
                ("description", "面向应届毕业生的现场招聘会"),
                ("format", "offline"),
                ("venue", "乐山市人力资源市场"),
                ("held_on", held_on),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
                ("booth_count", booths),
                ("seat_count", seats),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query_scalar("SELECT id FROM fairs WHERE title = $1").bind(title).fetch_one(&app.pool).await.unwrap()
}

async fn counters(app: &TestApp, fair: i64) -> (i64, i64) {
    sqlx::query_as("SELECT booths_taken, seats_taken FROM fairs WHERE id = $1").bind(fair).fetch_one(&app.pool).await.unwrap()
}

/// Fires every client's call to `endpoint` for the fair at once; returns each answer's status
/// and, for refusals, the error.
async fn race(app: &TestApp, clients: &[(reqwest::Client, i64)], endpoint: &str, fair: i64) -> Vec<(u16, Option<AppError>)> {
    let fair = fair.to_string();
    let calls = clients.iter().map(|(c, _)| {
        let fair = fair.clone();
        async move {
            let res = app.call_as(c, endpoint, &[("fair_id", &fair)]).await;
            match res.status().as_u16() {
                200 => (200, None),
                status => (status, Some(app_error(res).await)),
            }
        }
    });
    futures::future::join_all(calls).await
}

async fn a_hundred_employers_racing_for_ten_booths_get_exactly_ten(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let fair = hold_fair(&app, &cw, "冬季双选会", &day(7), "10", "").await;
    let employers = crowd(&app, "hr", 100, Role::Employer).await;
    for (i, (_, user_id)) in employers.iter().enumerate() {
        organisation(&app, *user_id, &format!("乐山第{i}公司"), true).await;
    }

    let answers = race(&app, &employers, "fairs/book", fair).await;

    let booked = answers.iter().filter(|(s, _)| *s == 200).count();
    let full = answers.iter().filter(|(s, e)| *s == 409 && *e == Some(AppError::Conflict("fair.full".into()))).count();
    assert_eq!((booked, full), (10, 90), "exactly the ten booths are booked, everyone else is told it is full: {answers:?}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fair_booths WHERE fair_id = $1").bind(fair).fetch_one(&app.pool).await.unwrap();
    assert_eq!((rows, counters(&app, fair).await.0), (10, 10), "the refused bookings left no row behind");
}

async fn graduates_racing_for_the_last_places_get_exactly_as_many_as_there_are(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let fair = hold_fair(&app, &cw, "网络招聘会", &day(3), "20", "5").await;
    let graduates = crowd(&app, "grad", 30, Role::Graduate).await;

    let answers = race(&app, &graduates, "fairs/register", fair).await;

    let registered = answers.iter().filter(|(s, _)| *s == 200).count();
    let full = answers.iter().filter(|(_, e)| *e == Some(AppError::Conflict("fair.full".into()))).count();
    assert_eq!((registered, full), (5, 25), "{answers:?}");
    assert_eq!(counters(&app, fair).await.1, 5);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fair_registrations WHERE fair_id = $1").bind(fair).fetch_one(&app.pool).await.unwrap();
    assert_eq!(rows, 5);

    // A graduate with a place sees it, and a second sign-up is refused without counting.
    let (lucky, _) = graduates.iter().zip(&answers).find(|(_, (s, _))| *s == 200).unwrap().0;
    let again = app.call_as(lucky, "fairs/register", &[("fair_id", &fair.to_string())]).await;
    assert_eq!(app_error(again).await, AppError::Conflict("fair.already_registered".into()));
    let page: FairPage = app.fetch_as(lucky, "fairs/page", &[("id", &fair.to_string())]).await;
    assert_eq!(page.viewer, Viewer::Graduate { registered: true });
    let mine: Vec<(app::fairs::Fair, bool)> = app.fetch_as(lucky, "fairs/mine", &[]).await;
    assert_eq!(mine.iter().map(|(f, open)| (f.id, *open)).collect::<Vec<_>>(), [(fair, true)]);
    assert_eq!(counters(&app, fair).await.1, 5);
}

async fn an_employer_books_one_booth_per_fair_and_cancelling_frees_it_for_another(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let fair = hold_fair(&app, &cw, "小型招聘会", &day(5), "1", "").await;
    let id = fair.to_string();
    let (a, _) = employer(&app, "a@example.com", "甲公司", true).await;
    let (b, _) = employer(&app, "b@example.com", "乙公司", true).await;
    // B has a listed vacancy, which the fair's page will show under B.
    let expires = day(30);
    let posted = app
        .call_as(
            &b,
            "vacancies/save",
            &[("title", "出纳员"), ("description", "负责现金收付。"), ("category", "finance"), ("place", "shizhong"), ("salary_min", "4000"),
              ("salary_max", "5000"), ("education", "bachelor"), ("headcount", "1"), ("kind", "job"), ("expires_on", &expires), ("intent", "publish")],
        )
        .await;
    assert_eq!(posted.status(), 200);

    assert_eq!(app.call_as(&a, "fairs/book", &[("fair_id", &id)]).await.status(), 200);
    let twice = app.call_as(&a, "fairs/book", &[("fair_id", &id)]).await;
    assert_eq!(app_error(twice).await, AppError::Conflict("fair.already_booked".into()), "one booth per employer");
    let full = app.call_as(&b, "fairs/book", &[("fair_id", &id)]).await;
    assert_eq!(app_error(full).await, AppError::Conflict("fair.full".into()));
    assert_eq!(counters(&app, fair).await.0, 1);

    assert_eq!(app.call_as(&a, "fairs/unbook", &[("fair_id", &id)]).await.status(), 200);
    assert_eq!(counters(&app, fair).await.0, 0, "cancelling gives the booth back");
    let again = app.call_as(&a, "fairs/unbook", &[("fair_id", &id)]).await;
    assert_eq!(app_error(again).await, AppError::Conflict("fair.not_taken".into()), "nothing is given back twice");
    assert_eq!(counters(&app, fair).await.0, 0);
    assert_eq!(app.call_as(&b, "fairs/book", &[("fair_id", &id)]).await.status(), 200, "the freed booth can be booked");

    // The page, for anyone: B takes part with its vacancy; A no longer does.
    let page: FairPage = app.fetch_as(&client(), "fairs/page", &[("id", &id)]).await;
    assert_eq!(page.viewer, Viewer::Anyone);
    assert_eq!(page.participants.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["乙公司"]);
    assert_eq!(page.participants[0].vacancies.iter().map(|v| v.title.as_str()).collect::<Vec<_>>(), ["出纳员"]);
    let (status, html) = app.page(&format!("/fairs/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("乙公司") && html.contains("出纳员") && !html.contains("甲公司"), "the server-rendered page lists the participants");
    let list: FairList = app.fetch_as(&client(), "fairs/list", &[]).await;
    assert_eq!(list.upcoming.iter().map(|f| f.id).collect::<Vec<_>>(), [fair]);
    let b_page: FairPage = app.fetch_as(&b, "fairs/page", &[("id", &id)]).await;
    assert_eq!(b_page.viewer, Viewer::Employer { verified: true, booked: true });

    // Without JavaScript, a full fair sends the browser back to the page, which says so.
    let res = app.post_plain_as(&a, "fairs/book", &format!("/fairs/{id}"), &[("fair_id", &id), ("back", &format!("/fairs/{id}"))]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let page = a.get(app.url(&format!("/fairs/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("名额已满"), "the refusal is shown on the page it came from");
}

async fn only_verified_employers_book_and_only_case_workers_hold_fairs(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let fair = hold_fair(&app, &cw, "春季招聘会", &day(10), "5", "5").await;
    let id = fair.to_string();

    let (pending, _) = employer(&app, "new@example.com", "新公司", false).await;
    let res = app.call_as(&pending, "fairs/book", &[("fair_id", &id)]).await;
    assert_eq!(app_error(res).await, AppError::Conflict("fair.not_verified".into()));
    let page: FairPage = app.fetch_as(&pending, "fairs/page", &[("id", &id)]).await;
    assert_eq!(page.viewer, Viewer::Employer { verified: false, booked: false });

    let (graduate, _) = app.signed_in("g@example.com", Role::Graduate).await;
    let form = [("title", "假招聘会"), ("description", "x"), ("format", "online"), ("link", "https://x.example/f"), ("held_on", &day(3) as &str),
                ("starts_at", "09:00"), ("ends_at", "10:00")];
    assert_eq!(app_error(app.call_as(&graduate, "fairs/save", &form).await).await, AppError::Forbidden, "a graduate cannot hold a fair");
    let (verified, _) = employer(&app, "hr@example.com", "甲公司", true).await;
    assert_eq!(app_error(app.call_as(&verified, "fairs/save", &form).await).await, AppError::Forbidden, "nor can an employer");
    assert_eq!(app_error(app.call_as(&client(), "fairs/save", &form).await).await, AppError::Unauthorized);
    assert_eq!(app_error(app.call_as(&graduate, "fairs/book", &[("fair_id", &id)]).await).await, AppError::Forbidden, "graduates do not book booths");
    assert_eq!(app_error(app.call_as(&verified, "fairs/register", &[("fair_id", &id)]).await).await, AppError::Forbidden, "employers do not take places");
    assert_eq!(app_error(app.call_as(&client(), "fairs/book", &[("fair_id", &id)]).await).await, AppError::Unauthorized);
    assert_eq!(app_error(app.call_as(&verified, "fairs/book", &[("fair_id", "999999")]).await).await, AppError::NotFound);
    assert_eq!(app_error(app.call_as(&graduate, "fairs/staff_list", &[]).await).await, AppError::Forbidden);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fairs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 1, "no refused call made a fair");
    assert_eq!(counters(&app, fair).await, (0, 0), "no refused call took a booth or a place");

    // A fair that has taken place takes no more bookings.
    sqlx::query("UPDATE fairs SET held_on = $1 WHERE id = $2").bind(day(-1)).bind(fair).execute(&app.pool).await.unwrap();
    assert_eq!(app_error(app.call_as(&verified, "fairs/book", &[("fair_id", &id)]).await).await, AppError::Conflict("fair.over".into()));
    let list: FairList = app.fetch_as(&client(), "fairs/list", &[]).await;
    assert_eq!((list.upcoming.len(), list.past.len()), (0, 1), "it moves to the past fairs");
}

async fn bad_fair_input_is_refused_per_field_and_a_limit_cannot_drop_below_the_bookings(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let yesterday = day(-1);
    let res = app
        .call_as(
            &cw,
            "fairs/save",
            &[("title", ""), ("description", "d"), ("format", "offline"), ("venue", ""), ("held_on", &yesterday), ("starts_at", "14:00"),
              ("ends_at", "9:00"), ("booth_count", "0"), ("seat_count", "many")],
        )
        .await;
    let e = app_error(res).await;
    assert_eq!(e.field_key("title"), Some("validation.required"));
    assert_eq!(e.field_key("venue"), Some("validation.required"));
    assert_eq!(e.field_key("held_on"), Some("fair.date_range"));
    assert_eq!(e.field_key("ends_at"), Some("fair.time_invalid"));
    assert_eq!(e.field_key("booth_count"), Some("fair.count_invalid"));
    assert_eq!(e.field_key("seat_count"), Some("fair.count_invalid"));

    let next_week = day(7);
    let res = app
        .call_as(
            &cw,
            "fairs/save",
            &[("title", "网络招聘会"), ("description", "d"), ("format", "online"), ("link", "javascript:alert(1)"), ("held_on", &next_week),
              ("starts_at", "14:00"), ("ends_at", "09:00")],
        )
        .await;
    let e = app_error(res).await;
    assert_eq!(e.field_key("link"), Some("fair.link_invalid"));
    assert_eq!(e.field_key("ends_at"), Some("fair.end_before_start"));
    assert_eq!(e.field_key("booth_count"), None, "an online fair may leave its booths unlimited");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fairs").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);

    // Two booths booked: the limit may go down to two, not to one.
    let fair = hold_fair(&app, &cw, "双选会", &next_week, "3", "").await;
    for (email, name) in [("a@example.com", "甲公司"), ("b@example.com", "乙公司")] {
        let (c, _) = employer(&app, email, name, true).await;
        assert_eq!(app.call_as(&c, "fairs/book", &[("fair_id", &fair.to_string())]).await.status(), 200);
    }
    let edit = |booths: &'static str| {
        let (id, next_week) = (fair.to_string(), next_week.clone());
        let cw = cw.clone();
        let app = &app;
        async move {
            app.call_as(
                &cw,
                "fairs/save",
                &[("id", &id), ("title", "双选会"), ("description", "d"), ("format", "offline"), ("venue", "乐山"), ("held_on", &next_week),
                  ("starts_at", "09:00"), ("ends_at", "12:00"), ("booth_count", booths)],
            )
            .await
        }
    };
    assert_eq!(app_error(edit("1").await).await.field_key("booth_count"), Some("fair.below_taken"));
    assert_eq!(edit("2").await.status(), 200);
    let fair_now: FairPage = app.fetch_as(&client(), "fairs/page", &[("id", &fair.to_string())]).await;
    assert_eq!((fair_now.fair.booth_count, fair_now.fair.booths_taken, fair_now.fair.venue.as_str()), (Some(2), 2, "乐山"));
}

async fn the_reminder_is_queued_once_the_day_before_and_not_for_cancelled_bookings(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let tomorrow = hold_fair(&app, &cw, "明天的招聘会", &day(1), "10", "").await;
    let later = hold_fair(&app, &cw, "下周的招聘会", &day(6), "10", "").await;
    let (a, _) = employer(&app, "a@example.com", "甲公司", true).await;
    let (b, _) = employer(&app, "b@example.com", "乙公司", true).await;
    let (g, _) = app.signed_in("g@example.com", Role::Graduate).await;
    for (c, endpoint, fair) in [(&a, "fairs/book", tomorrow), (&a, "fairs/book", later), (&b, "fairs/book", tomorrow), (&g, "fairs/register", tomorrow)] {
        assert_eq!(app.call_as(c, endpoint, &[("fair_id", &fair.to_string())]).await.status(), 200);
    }
    assert_eq!(app.call_as(&b, "fairs/unbook", &[("fair_id", &tomorrow.to_string())]).await.status(), 200);
    let before = app.outbox_count().await;

    // Two passes at the same moment (two servers), then one more later: one reminder each.
    let dialect = app::db::Dialect::from_url(&app.vars["DATABASE_URL"]).unwrap();
    let pass = || app::fairs::ssr::queue_reminders(&app.pool, dialect, &app.base, app::ssr::now());
    let (first, second) = tokio::join!(pass(), pass());
    let third = pass().await.unwrap();
    assert_eq!(first.unwrap() + second.unwrap() + third, 2);
    assert_eq!(app.outbox_count().await - before, 2);

    let (subject, body) = app.last_mail_to("a@example.com").await.expect("the employer is reminded");
    assert!(subject.contains("明天") && body.contains("甲公司") && body.contains("明天的招聘会") && body.contains(&format!("/fairs/{tomorrow}")), "{subject}\n{body}");
    assert!(!body.contains("下周的招聘会"), "the fair next week is not reminded yet");
    let (_, body) = app.last_mail_to("g@example.com").await.expect("the graduate is reminded");
    assert!(body.contains("明天的招聘会") && body.contains("乐山市人力资源市场"), "{body}");
    assert_eq!(app.last_mail_to("b@example.com").await, None, "a cancelled booking is not reminded");
    let unreminded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fair_booths WHERE fair_id = $1 AND reminded_at IS NULL")
        .bind(tomorrow)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(unreminded, 0);
}
