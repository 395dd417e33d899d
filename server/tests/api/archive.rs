//! Personnel archives through HTTP on both databases: the public lookup (no hint which detail
//! was wrong, throttled per address and per ID number), the CSV import's dry run and import,
//! movements that tell the holder, the graduate's own archive, and who may reach what.

use crate::applications::{resident_id, save_profile};
use crate::support::*;
use app::account::Role;
use app::archive::{ArchiveDetail, ImportReport, IssuedCode, LocationKind};
use app::error::AppError;

on_both_databases!(
    the_right_id_name_and_code_find_the_archive_and_any_one_wrong_detail_gets_the_same_answer,
    lookups_are_throttled_per_id_number_and_per_address,
    the_dry_run_names_each_bad_row_and_changes_nothing_and_the_import_adds_exactly_the_good_rows,
    a_file_that_is_not_utf8_or_lacks_the_columns_goes_back_to_the_form,
    a_movement_emails_and_notifies_the_holder_and_the_graduate_sees_only_their_own_archive,
    only_staff_reach_the_archives_and_their_server_functions,
);

/// Records an archive through the case workers' form; returns its id and the check code the
/// next page shows once.
async fn add(app: &TestApp, cw: &reqwest::Client, id: &str, name: &str) -> (i64, String) {
    let res = app
        .call_as(
            cw,
            "archive/add",
            &[
                ("resident_id", id),
                ("holder_name", name),
                ("location_kind", "school"),
                ("location_place", ""),
                ("location_name", "乐山职业技术学院"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let issued: Vec<IssuedCode> = app.fetch_as(cw, "archive/issued", &[]).await;
    assert_eq!(issued.len(), 1, "the new archive's code is shown once");
    let again: Vec<IssuedCode> = app.fetch_as(cw, "archive/issued", &[]).await;
    assert!(again.is_empty(), "and only once");
    (issued[0].archive_id, issued[0].code.clone())
}

async fn lookup(app: &TestApp, c: &reqwest::Client, id: &str, name: &str, code: &str) -> reqwest::Response {
    app.call_as(c, "archive/lookup", &[("resident_id", id), ("holder_name", name), ("check_code", code)]).await
}

async fn archives(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM archives").fetch_one(&app.pool).await.unwrap()
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1").bind(action).fetch_one(&app.pool).await.unwrap()
}

async fn the_right_id_name_and_code_find_the_archive_and_any_one_wrong_detail_gets_the_same_answer(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    let (id_a, id_b) = (resident_id(1), resident_id(2));
    let (archive, code) = add(&app, &cw, &id_a, "李明").await;
    add(&app, &cw, &id_b, "王芳").await;
    assert_eq!(audited(&app, "archive:created").await, 2);

    let visitor = client();
    // Typed as people type: full-width digits, spaces in the name, a lower-case code with a dash.
    let wide: String = id_a.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
    let grouped = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    let found: ArchiveDetail = decode(lookup(&app, &visitor, &wide, " 李 明 ", &grouped).await).await;
    assert_eq!(found.archive.id, archive);
    assert_eq!(found.archive.location_kind, LocationKind::School);
    assert!(!found.archive.resident_id_masked.contains(&id_a[6..14]), "the birth date is not shown");

    let mut wrong_code = code.clone();
    wrong_code.replace_range(..1, if code.starts_with('A') { "B" } else { "A" });
    let unknown_id = resident_id(3);
    let attempts = [
        (id_a.as_str(), "李明", wrong_code.as_str()),
        (id_a.as_str(), "李敏", code.as_str()),
        (unknown_id.as_str(), "李明", code.as_str()),
        (id_b.as_str(), "李明", code.as_str()),
        ("51110220030715", "李明", code.as_str()),
    ];
    for (id, name, code) in attempts {
        let res = lookup(&app, &visitor, id, name, code).await;
        assert_eq!(res.status(), 422, "{id} {name} {code}");
        assert_eq!(app_error(res).await, AppError::field("", "archive.lookup_not_found"), "{id} {name} {code}: one answer for every mismatch");
    }
    let empty = app_error(lookup(&app, &visitor, "", "李明", &code).await).await;
    assert_eq!(empty.field_key("resident_id"), Some("validation.required"), "an empty field is named: that reveals nothing");

    // A lost notice: a new code replaces the old one at once.
    assert_eq!(app.call_as(&cw, "archive/new_code", &[("archive_id", &archive.to_string())]).await.status(), 200);
    let issued: Vec<IssuedCode> = app.fetch_as(&cw, "archive/issued", &[]).await;
    assert_eq!(issued.iter().map(|c| c.archive_id).collect::<Vec<_>>(), vec![archive]);
    assert_eq!(lookup(&app, &visitor, &id_a, "李明", &code).await.status(), 422, "the old code no longer works");
    assert_eq!(lookup(&app, &visitor, &id_a, "李明", &issued[0].code).await.status(), 200);
    assert_eq!(audited(&app, "archive:code_replaced").await, 1);

    // One archive per person.
    let again = app
        .call_as(&cw, "archive/add", &[("resident_id", &id_a), ("holder_name", "李明"), ("location_kind", "school"), ("location_name", "乐山师范学院")])
        .await;
    assert_eq!(app_error(again).await.field_key("resident_id"), Some("archive.exists"));
}

async fn lookups_are_throttled_per_id_number_and_per_address(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    let id_a = resident_id(1);
    let (_, code) = add(&app, &cw, &id_a, "李明").await;
    let visitor = client();
    for _ in 0..app::archive::api::LOOKUPS_PER_ID {
        assert_eq!(lookup(&app, &visitor, &id_a, "李敏", &code).await.status(), 422);
    }
    let refused = app_error(lookup(&app, &visitor, &id_a, "李明", &code).await).await;
    assert!(matches!(refused, AppError::TooManyAttempts { minutes } if minutes >= 1), "even the right details wait once the ID number is full: {refused:?}");
    // Another ID number from the same address is still answered, until the address is full.
    let per_address = app::archive::api::LOOKUPS_PER_ADDRESS;
    for n in app::archive::api::LOOKUPS_PER_ID..per_address {
        let res = lookup(&app, &visitor, &resident_id(100 + n as u32), "李明", &code).await;
        assert_eq!(res.status(), 422, "attempt {n} from the address");
    }
    let res = lookup(&app, &visitor, &resident_id(200), "李明", &code).await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "the address is full");
}

/// Posts a file to the import form as a browser does; returns the redirect's target.
async fn upload(app: &TestApp, c: &reqwest::Client, bytes: Vec<u8>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("export.csv").mime_str("text/csv").unwrap();
    let res = app
        .post_from_portal(c, "/staff/archives/upload")
        .header("Accept", "text/html")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), location)
}

async fn the_dry_run_names_each_bad_row_and_changes_nothing_and_the_import_adds_exactly_the_good_rows(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    let existing = resident_id(9);
    add(&app, &cw, &existing, "已有").await;
    let (good_1, good_2) = (resident_id(1), resident_id(2));
    let mut bad = resident_id(3);
    bad.replace_range(17.., if bad.ends_with('0') { "1" } else { "0" });
    let csv = format!(
        "\u{feff}身份证号,姓名,档案所在,地区,单位名称\r\n\
         {good_1},李明,school,,乐山职业技术学院\r\n\
         {bad},王芳,school,,乐山师范学院\r\n\
         {good_1},李明,school,,乐山职业技术学院\r\n\
         {existing},已有,school,,乐山师范学院\r\n\
         {},张伟,talent_service,火星,乐山市人才服务中心\r\n\
         {},,school,,乐山师范学院\r\n\
         \"{good_2}\",\"赵磊\",人才服务机构,市中区,\"乐山市公共就业和人才服务中心, 档案室\"\r\n",
        resident_id(4),
        resident_id(5),
    );
    let before = archives(&app).await;
    let (status, location) = upload(&app, &cw, csv.into_bytes()).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/staff/archives/import?run="), "{location}");
    let run = query_value(&location, "run");
    assert_eq!(archives(&app).await, before, "the dry run changes nothing");

    let report: Option<ImportReport> = app.fetch_as(&cw, "archive/import_report", &[("id", &run)]).await;
    let report = report.expect("the kept file's report");
    assert_eq!((report.rows, report.good, report.imported_at), (7, 2, None));
    let reasons: Vec<(u64, &str, &str)> = report.rejected.iter().map(|r| (r.line, r.reason.as_str(), r.detail.as_str())).collect();
    assert_eq!(
        reasons,
        vec![
            (3, "archive.reject_bad_id", "validation.resident_id_check"),
            (4, "archive.reject_duplicate_in_file", "2"),
            (5, "archive.reject_exists", ""),
            (6, "archive.reject_unknown_place", "火星"),
            (7, "archive.reject_missing", "name"),
        ]
    );

    assert_eq!(app.call_as(&cw, "archive/import_run", &[("id", &run)]).await.status(), 200);
    assert_eq!(archives(&app).await, before + 2, "exactly the good rows");
    let issued: Vec<IssuedCode> = app.fetch_as(&cw, "archive/issued", &[]).await;
    assert_eq!(issued.iter().map(|c| c.holder_name.as_str()).collect::<Vec<_>>(), vec!["李明", "赵磊"]);
    let zhao: ArchiveDetail = decode(lookup(&app, &client(), &good_2, "赵磊", &issued[1].code).await).await;
    assert_eq!(zhao.archive.location_kind, LocationKind::TalentService);
    assert_eq!(zhao.archive.location_place, Some(app::shared::values::Place::Shizhong));
    assert_eq!(zhao.archive.location_name, "乐山市公共就业和人才服务中心, 档案室", "a quoted comma stays in its field");

    let twice = app_error(app.call_as(&cw, "archive/import_run", &[("id", &run)]).await).await;
    assert_eq!(twice, AppError::Conflict("archive.import_done".into()));
    assert_eq!(archives(&app).await, before + 2, "a second run adds nothing");
    let report: Option<ImportReport> = app.fetch_as(&cw, "archive/import_report", &[("id", &run)]).await;
    let report = report.expect("the kept file's report");
    assert_eq!(report.imported, 2);
    assert!(report.imported_at.is_some());
    assert_eq!(audited(&app, "archive:imported").await, 1);
}

async fn a_file_that_is_not_utf8_or_lacks_the_columns_goes_back_to_the_form(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    // 李明 in GBK, as an older Excel saves it.
    let gbk = b"id_number,name,location_kind,place,unit_name\n511102200307151234,\xC0\xEE\xC3\xF7,school,,x\n".to_vec();
    for bytes in [gbk, b"id,who\n1,2\n".to_vec(), Vec::new()] {
        assert_eq!(upload(&app, &cw, bytes).await, (303, "/staff/archives/import".to_string()));
    }
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM archive_imports").fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, 0, "a refused file is not kept");
}

async fn a_movement_emails_and_notifies_the_holder_and_the_graduate_sees_only_their_own_archive(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    let (holder, holder_id) = app.signed_in("liming@example.com", Role::Graduate).await;
    let (other, _) = app.signed_in("wangfang@example.com", Role::Graduate).await;
    let (no_profile, _) = app.signed_in("new@example.com", Role::Graduate).await;
    assert_eq!(save_profile(&app, &holder, &resident_id(1)).await.status(), 200);
    assert_eq!(save_profile(&app, &other, &resident_id(2)).await.status(), 200);
    let (archive, _) = add(&app, &cw, &resident_id(1), "李明").await;
    let none: Option<ArchiveDetail> = app.fetch_as(&holder, "archive/mine", &[]).await;
    assert_eq!(none.map(|d| d.archive.id), Some(archive), "found by the profile's ID number");

    let archive_s = archive.to_string();
    let movement = |date: &'static str| {
        vec![
            ("archive_id", archive_s.clone()),
            ("location_kind", "talent_service".to_string()),
            ("location_place", "shizhong".to_string()),
            ("location_name", "乐山市公共就业和人才服务中心".to_string()),
            ("moved_on", date.to_string()),
            ("transfer_number", "LSDA-2026-0042".to_string()),
            ("note", "离校转递".to_string()),
        ]
    };
    let future = app_error(app.call_as(&cw, "archive/move", &crate::applications::pairs(&movement("2099-01-01"))).await).await;
    assert_eq!(future.field_key("moved_on"), Some("archive.moved_on_future"));
    let outbox = app.outbox_count().await;
    assert_eq!(app.call_as(&cw, "archive/move", &crate::applications::pairs(&movement("2026-07-10"))).await.status(), 200);
    assert_eq!(app.outbox_count().await, outbox + 1, "one email, to the holder");
    let (subject, body) = app.last_mail_to("liming@example.com").await.expect("the holder is emailed");
    assert!(subject.contains("档案"), "{subject}");
    assert!(body.contains("LSDA-2026-0042") && body.contains("乐山市公共就业和人才服务中心") && body.contains("/archive"), "{body}");
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notifications WHERE user_id = $1").bind(holder_id).fetch_all(&app.pool).await.unwrap();
    assert_eq!(kinds, vec!["archive_moved".to_string()]);
    assert_eq!(audited(&app, "archive:moved").await, 1);

    let mine: Option<ArchiveDetail> = app.fetch_as(&holder, "archive/mine", &[]).await;
    let mine = mine.expect("the holder's archive");
    assert_eq!(mine.archive.location_kind, LocationKind::TalentService);
    assert_eq!(mine.movements.len(), 1);
    assert_eq!((mine.movements[0].from_kind, mine.movements[0].moved_on.as_str()), (LocationKind::School, "2026-07-10"));
    assert_eq!(mine.movements[0].recorded_by, "", "the holder is not shown which case worker recorded it");
    let theirs: Option<ArchiveDetail> = app.fetch_as(&other, "archive/mine", &[]).await;
    assert_eq!(theirs, None, "another graduate sees no archive of someone else");
    let nothing: Option<ArchiveDetail> = app.fetch_as(&no_profile, "archive/mine", &[]).await;
    assert_eq!(nothing, None);
    let (status, page) = app.page("/archive").await;
    assert_eq!(status, 401, "signed out, the page asks to sign in");
    assert!(!page.contains("乐山市公共就业和人才服务中心"));
}

async fn only_staff_reach_the_archives_and_their_server_functions(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@leshan.example", Role::CaseWorker).await;
    let (archive, _) = add(&app, &cw, &resident_id(1), "李明").await;
    let (graduate, _) = app.signed_in("liming@example.com", Role::Graduate).await;
    let (employer, _) = app.signed_in("hr@example.com", Role::Employer).await;
    let id = archive.to_string();
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("archive/list", vec![]),
        ("archive/detail", vec![("id", &id)]),
        ("archive/add", vec![("resident_id", "x"), ("holder_name", "x"), ("location_kind", "school"), ("location_name", "x")]),
        ("archive/move", vec![("archive_id", &id), ("location_kind", "school"), ("location_name", "x"), ("moved_on", "2026-01-01"), ("transfer_number", "1"), ("note", "")]),
        ("archive/import_report", vec![("id", "1")]),
        ("archive/import_run", vec![("id", "1")]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app_error(app.call_as(&graduate, endpoint, form).await).await, AppError::Forbidden, "a graduate: {endpoint}");
        assert_eq!(app_error(app.call_as(&employer, endpoint, form).await).await, AppError::Forbidden, "an employer: {endpoint}");
        assert_eq!(app_error(app.call_as(&client(), endpoint, form).await).await, AppError::Unauthorized, "anyone: {endpoint}");
    }
    assert_eq!(app_error(app.call_as(&cw, "archive/mine", &[]).await).await, AppError::Forbidden, "the own-archive page is a graduate's");
    let (status, _) = upload(&app, &graduate, b"id_number,name,location_kind,place,unit_name\n".to_vec()).await;
    assert_eq!(status, 403, "a graduate cannot upload an import");
    for path in ["/staff/archives", &format!("/staff/archives/{archive}"), "/staff/archives/new", "/staff/archives/import"] {
        let res = graduate.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "{path}");
        assert!(!res.text().await.unwrap().contains("511102"), "{path} shows no ID number");
    }
    let res = cw.get(app.url("/staff/archives?q=李")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("李明"), "a case worker finds the archive by part of the name");
    let found: Vec<app::archive::Archive> = app.fetch_as(&cw, "archive/list", &[("q", &resident_id(1))]).await;
    assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), vec![archive], "and by the ID number");
}
