//! Business hours for first-response targets over real HTTP: set on the admin form and the API,
//! refused with a message naming the problem, deadlines counted in business time across a
//! weekend, holidays and both DST changes, the wording on the pages in English and German, and
//! the queue and metrics counting business minutes.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Weekday};
use chrono_tz::Europe::Berlin;
use peerdesk::accounts::Role;

use crate::helpers::{eventually, spawn_app, thread_id, Client, Resp, TestApp};

const HOURS: &str =
    "Europe/Berlin; mon-fri 09:00-17:00; holidays 2025-12-24, 2025-12-25, 2025-12-26";

/// A Berlin wall-clock time as naive UTC (what the database stores).
fn berlin(text: &str) -> NaiveDateTime {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time");
    Berlin
        .from_local_datetime(&local)
        .single()
        .expect("one instant")
        .naive_utc()
}

fn utc(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
}

fn json_time(v: &serde_json::Value) -> NaiveDateTime {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{v} is not a time"))
}

/// Sets when a question was asked (and a wall-clock deadline, as if no hours applied).
fn asked_at(app: &TestApp, id: i64, at: NaiveDateTime, answered: Option<NaiveDateTime>) {
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::threads;
            diesel::update(threads::table.find(id))
                .set((
                    threads::created_at.eq(at),
                    threads::respond_by.eq(Some(at + TimeDelta::hours(4))),
                    threads::first_response_at.eq(answered),
                ))
                .execute(conn)?;
            Ok(())
        })
        .expect("set the asking time");
}

/// The deadline the test works out on its own: step through the minutes after `asked`,
/// counting those that start inside Monday–Friday 9:00–17:00 Berlin time, holidays aside.
fn reference_deadline(asked: NaiveDateTime, minutes: i64, holidays: &[NaiveDate]) -> NaiveDateTime {
    let mut t = asked;
    let mut left = minutes;
    while left > 0 {
        let local = Berlin.from_utc_datetime(&t);
        let open = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun)
            && (9..17).contains(&local.hour())
            && !holidays.contains(&local.date_naive());
        if open {
            left -= 1;
        }
        t += TimeDelta::minutes(1);
    }
    t
}

fn save_general(admin: &mut Client, general: i64, target: &str, hours: &str) -> Resp {
    admin.submit(
        "/admin",
        &format!("/admin/categories/{general}"),
        &[
            ("name", "General"),
            ("slug", "general"),
            ("first_response", target),
            ("business_hours", hours),
        ],
    )
}

fn general(app: &TestApp) -> serde_json::Value {
    Client::new(app).get("/api/v1/categories").json()["categories"][0].clone()
}

/// A page's text with the HTML escapes the templates write put back (`/` is escaped too).
fn unescaped(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn german(c: &mut Client) {
    c.extra.retain(|(k, _)| k != "Accept-Language");
    c.extra.push(("Accept-Language".into(), "de".into()));
}

#[test]
fn business_hours_count_across_a_weekend_a_holiday_and_dst() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    let mut customer = app.member("carla");
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let sam_token = app.token_for("sam");
    let general_id = general(&app)["id"].as_i64().expect("category id");

    // Questions asked at known times: a Friday afternoon, before Christmas, before both DST
    // changes. Their deadlines are wall-clock until the admin gives General business hours.
    let times = [
        // Friday 16:30: 30 minutes on Friday, 3.5 hours on Monday.
        (berlin("2025-12-05 16:30"), berlin("2025-12-08 12:30")),
        // Tuesday 23rd 15:00: 2 hours, then three holidays and the weekend.
        (berlin("2025-12-23 15:00"), berlin("2025-12-29 11:00")),
        // Friday 16:00 CET (15:00 UTC): Monday opens at 9:00 CEST, 07:00 UTC.
        (utc("2025-03-28 15:00"), utc("2025-03-31 10:00")),
        // Friday 16:00 CEST (14:00 UTC): Monday opens at 9:00 CET, 08:00 UTC.
        (utc("2025-10-24 14:00"), utc("2025-10-27 11:00")),
    ];
    let (mut ids, mut paths) = (Vec::new(), Vec::new());
    for (n, (asked, _)) in times.iter().enumerate() {
        let path = app.ask(
            &mut customer,
            &format!("Router drops the connection, case {n}"),
            "The router drops the connection every few minutes.",
        );
        let id = thread_id(&path);
        asked_at(&app, id, *asked, None);
        ids.push(id);
        paths.push(path);
    }

    // Bad schedules: 422 with the problem named, and nothing written.
    for (bad, named) in [
        ("Mars/Olympus; mon-fri 09:00-17:00", "Mars/Olympus"),
        ("Europe/Berlin; mo-fr 09:00-17:00", "mo-fr"),
        ("Europe/Berlin; mon-fri 9am-5pm", "9am"),
        ("Europe/Berlin; mon 17:00-09:00", "17:00-09:00"),
        ("Europe/Berlin; mon-fri 09:00-13:00; wed 12:00-18:00", "wed"),
        (
            "Europe/Berlin; mon-fri 09:00-17:00; holidays 2025-02-30",
            "2025-02-30",
        ),
        ("Europe/Berlin", "at least one day"),
        // One open minute a week cannot hold a 4-hour target.
        ("Europe/Berlin; mon 09:00-09:01", "400 days"),
    ] {
        let r = save_general(&mut admin, general_id, "4h", bad);
        r.assert_status(422);
        assert!(unescaped(&r.body).contains(named), "{bad}: {}", r.body);
    }
    let long = format!("{HOURS}{}", ", 2025-01-01".repeat(100));
    save_general(&mut admin, general_id, "4h", &long).assert_status(422);
    let c = general(&app);
    assert_eq!(c["business_hours"], serde_json::Value::Null, "{c}");
    assert_eq!(c["first_response_minutes"], serde_json::Value::Null, "{c}");

    // The admin sets a 4-hour target in business hours; the waiting questions' deadlines move.
    save_general(&mut admin, general_id, "4h", HOURS).assert_status(303);
    let c = general(&app);
    assert_eq!(c["business_hours"], HOURS, "stored in canonical form: {c}");
    assert!(unescaped(&admin.get("/admin").body).contains(&format!("value=\"{HOURS}\"")));
    let mut api = Client::api(&app, &app.token_for("carla"));
    for (id, (_, due)) in ids.iter().zip(times) {
        let j = api.get(&format!("/api/v1/threads/{id}")).json();
        let target = &j["first_response_target"];
        assert_eq!(json_time(&target["deadline"]), due, "thread {id}: {target}");
        assert_eq!(target["state"], "overdue");
        assert_eq!(target["minutes"], 240);
        assert_eq!(target["text"], "4 business hours");
        assert_eq!(target["business_hours"], HOURS);
    }

    // The thread, category and ask pages say it in business hours, in English and German.
    let friday = paths[0].clone();
    let page = unescaped(&customer.get(&friday).body);
    assert!(
        page.contains("Past the 4 business hours first-response target: waiting"),
        "{page}"
    );
    let summary = "Mon–Fri 9:00–17:00, Europe/Berlin; closed on 3 holidays";
    assert!(
        page.contains(&format!("Business hours: {summary}.")),
        "{page}"
    );
    let category = unescaped(&Client::new(&app).get("/c/general").body);
    assert!(
        category.contains(&format!(
            "Staff usually reply within 4 business hours ({summary})."
        )),
        "{category}"
    );
    assert!(unescaped(&customer.get("/ask").body).contains(&format!(
        "Staff usually reply within 4 business hours ({summary})."
    )));
    let mut de = app.member("dora");
    german(&mut de);
    let page = unescaped(&de.get(&friday).body);
    assert!(
        page.contains("Zielzeit für die erste Antwort (4 Geschäftsstunden) überschritten."),
        "{page}"
    );
    assert!(
        page.contains(
            "Geschäftszeiten: Mo–Fr 9:00–17:00 Uhr, Europe/Berlin; an 3 Feiertagen geschlossen."
        ),
        "{page}"
    );
    let mut visitor = Client::new(&app);
    german(&mut visitor);
    assert!(visitor
        .get("/c/general")
        .body
        .contains("Übliche Antwortzeit des Teams: 4 Geschäftsstunden (Mo–Fr"));

    // A question asked now is due where the test's own minute-by-minute count says.
    let now_path = app.ask(
        &mut customer,
        "Printer offline after the update",
        "Since the update the printer shows offline.",
    );
    let j = api
        .get(&format!("/api/v1/threads/{}", thread_id(&now_path)))
        .json();
    let asked = json_time(&j["created_at"]);
    let deadline = json_time(&j["first_response_target"]["deadline"]);
    let holidays: Vec<NaiveDate> = ["2025-12-24", "2025-12-25", "2025-12-26"]
        .iter()
        .map(|d| d.parse().expect("date"))
        .collect();
    let expected = reference_deadline(asked, 240, &holidays);
    assert!(
        (deadline - expected).num_seconds().abs() <= 60,
        "asked {asked}: due {deadline}, expected about {expected}"
    );
    assert_eq!(j["first_response_target"]["state"], "waiting");

    // The queue's past-target list holds the four old ones, in business time.
    let mut staff = Client::api(&app, &sam_token);
    let q = staff.get("/api/v1/staff/queue?view=overdue").json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(4), "{q}");
    assert_eq!(q["rows"][0]["target"]["business_hours"], HOURS);
    let page = sam.get("/staff?view=overdue");
    page.assert_status(200);
    assert!(
        page.body.contains("(target 4 business hours)"),
        "{}",
        page.body
    );

    // Metrics count business minutes: asked on a Friday at 16:30 within the last 30 days,
    // answered on Monday at 9:30 is 60 business minutes (not some 65 hours).
    let today = Berlin.from_utc_datetime(&peerdesk::db::now()).date_naive();
    let mut friday_day = today - TimeDelta::days(10);
    while friday_day.weekday() != Weekday::Fri {
        friday_day -= TimeDelta::days(1);
    }
    let at = |day: NaiveDate, h: u32, m: u32| {
        Berlin
            .from_local_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
            .single()
            .expect("one instant")
            .naive_utc()
    };
    let answered = app.ask(
        &mut customer,
        "Scanner shows a blank page",
        "Every scan comes out blank.",
    );
    asked_at(
        &app,
        thread_id(&answered),
        at(friday_day, 16, 30),
        Some(at(friday_day + TimeDelta::days(3), 9, 30)),
    );
    let m = staff.get("/api/v1/staff/metrics").json();
    let cat = &m["categories"][0];
    assert_eq!(cat["business_hours"], HOURS, "{m}");
    assert_eq!(cat["last_30_days"]["median_minutes"], 60, "{m}");
    assert_eq!(cat["last_30_days"]["responded"], 1, "{m}");

    // Staff answer the new question: met, counted in business time.
    staff
        .send_json(
            "POST",
            &format!("/api/v1/threads/{}/posts", thread_id(&now_path)),
            serde_json::json!({ "body": "Reinstall the printer driver from the vendor page." }),
        )
        .assert_status(201);
    let page = customer.get(&now_path).body;
    assert!(
        page.contains("First response within the 4 business hours target (after"),
        "{page}"
    );

    // Back to around the clock: deadlines of waiting questions are wall-clock again.
    save_general(&mut admin, general_id, "4h", "").assert_status(303);
    let j = api.get(&format!("/api/v1/threads/{}", ids[0])).json();
    assert_eq!(
        json_time(&j["first_response_target"]["deadline"]),
        times[0].0 + TimeDelta::hours(4)
    );
    assert_eq!(
        j["first_response_target"]["business_hours"],
        serde_json::Value::Null
    );
    assert!(customer
        .get(&friday)
        .body
        .contains("Past the 4 hours first-response target"));
}

#[test]
fn business_hours_through_the_api_are_checked_and_audited() {
    let app = spawn_app();
    app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut admin = Client::api(&app, &app.token_for("root"));
    let body = serde_json::json!({
        "first_response": "4h",
        "business_hours": "Europe/Berlin; MON-FRI 9:00-12:00, 12:00-17:00; sat 10:00-14:00",
    });
    // Only admins.
    Client::api(&app, &app.token_for("sam"))
        .send_json("PATCH", "/api/v1/categories/general", body.clone())
        .assert_status(403);
    Client::new(&app)
        .send_json("PATCH", "/api/v1/categories/general", body.clone())
        .assert_status(403);
    // Bad input: 422 with a message, nothing written.
    for bad in [
        serde_json::json!({ "business_hours": "Atlantis; mon 09:00-17:00" }),
        serde_json::json!({ "business_hours": "UTC; mon 09:00-17:00; holidays tomorrow" }),
        serde_json::json!({ "business_hours": "UTC; mon 09:00-17:00", "first_response": "soon" }),
    ] {
        let r = admin.send_json("PATCH", "/api/v1/categories/general", bad.clone());
        r.assert_status(422);
        let j = r.json();
        assert!(
            j["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{bad}: {j}"
        );
    }
    let j = admin
        .send_json(
            "PATCH",
            "/api/v1/categories/general",
            serde_json::json!({ "business_hours": "Atlantis; mon 09:00-17:00" }),
        )
        .json();
    assert_eq!(j["error"], "invalid", "{j}");
    assert!(
        j["message"].as_str().unwrap_or("").contains("Atlantis"),
        "{j}"
    );
    // Not a string, or a field categories do not have: 400.
    for bad in [
        serde_json::json!({ "business_hours": 5 }),
        serde_json::json!({ "opening_hours": "UTC; mon 09:00-17:00" }),
    ] {
        admin
            .send_json("PATCH", "/api/v1/categories/general", bad)
            .assert_status(400);
    }
    assert_eq!(general(&app)["business_hours"], serde_json::Value::Null);
    admin
        .send_json("PATCH", "/api/v1/categories/nowhere", body.clone())
        .assert_status(422);

    // Set: stored canonical; the other fields stay as they were.
    let r = admin.send_json("PATCH", "/api/v1/categories/general", body);
    r.assert_status(200);
    let c = r.json();
    assert_eq!(
        c["business_hours"], "Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00",
        "{c}"
    );
    assert_eq!(c["first_response_minutes"], 240);
    assert_eq!(c["name"], "General");
    // The category list says it in words.
    assert!(Client::new(&app)
        .get("/categories")
        .body
        .contains("staff usually reply within 4 business hours"));
    // null clears it; the audit log has the schedule before and after.
    let c = admin
        .send_json(
            "PATCH",
            "/api/v1/categories/general",
            serde_json::json!({ "business_hours": null }),
        )
        .json();
    assert_eq!(c["business_hours"], serde_json::Value::Null, "{c}");
    assert_eq!(c["first_response_minutes"], 240);
    let log_path = "/api/v1/admin/audit?action=category_changed";
    eventually("both changes in the audit log", 2, || {
        admin.get(log_path).json()["entries"]
            .as_array()
            .map_or(0, Vec::len)
    });
    let log = admin.get(log_path).json();
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(
        entries[0]["before"]["business_hours"],
        "Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00",
        "{log}"
    );
    assert_eq!(
        entries[0]["after"]["business_hours"],
        serde_json::Value::Null
    );
}
