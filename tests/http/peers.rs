//! Peer help: the reputation ledger and its reversals, recalculation, trust levels earned and
//! lost, the privileges they gate, levels set by hand. Real HTTP, both databases.

use serde_json::{json, Value};

use crate::helpers::*;
use peerdesk::accounts::Role;
use peerdesk::config::{Privileges, TrustRequirements};

fn api(app: &TestApp, handle: &str) -> Client {
    Client::api(app, &app.token_for(handle))
}

fn ask(c: &mut Client, title: &str) -> i64 {
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": "Details here.", "category": "general"}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().unwrap()
}

fn answer(c: &mut Client, thread: i64, body: &str) -> i64 {
    let r = c.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": body }),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().unwrap()
}

fn vote(c: &mut Client, post: i64, value: i32) -> Resp {
    c.send_json(
        "POST",
        &format!("/api/v1/posts/{post}/votes"),
        json!({ "value": value }),
    )
}

fn level(app: &TestApp, handle: &str) -> i32 {
    let handle = handle.to_string();
    app.db
        .read_blocking(move |conn| peerdesk::accounts::find_by_handle(conn, &handle))
        .expect("user")
        .trust_level
}

#[test]
fn the_ledger_follows_votes_accepts_and_deletes_and_recalculation_agrees() {
    let app = spawn_app();
    for h in ["asker", "helper", "voter1", "voter2"] {
        app.member(h);
    }
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut asker, mut helper) = (api(&app, "asker"), api(&app, "helper"));
    let (mut v1, mut v2, mut m) = (api(&app, "voter1"), api(&app, "voter2"), api(&app, "mod"));
    let t = ask(&mut asker, "Scanner not found over USB");
    let a = answer(&mut helper, t, "Install the vendor driver first.");
    let q: i64 = asker.get(&format!("/api/v1/threads/{t}")).json()["posts"][0]["id"]
        .as_i64()
        .unwrap();
    vote(&mut v1, a, 1).assert_status(200);
    vote(&mut v2, a, 1).assert_status(200);
    vote(&mut v1, q, 1).assert_status(200);
    eventually("two up votes", 20, || app.reputation("helper"));
    eventually("a question vote", 5, || app.reputation("asker"));
    // Unvoting takes it back; a down vote costs 2.
    vote(&mut v2, a, 0).assert_status(200);
    eventually("one up vote", 10, || app.reputation("helper"));
    vote(&mut v2, a, -1).assert_status(200);
    eventually("up and down", 8, || app.reputation("helper"));
    // Accepting: +15 for the answer's author, +2 for the asker.
    asker
        .send_json("POST", &format!("/api/v1/posts/{a}/accept"), json!({}))
        .assert_status(200);
    eventually("accepted", 23, || app.reputation("helper"));
    eventually("accepting", 7, || app.reputation("asker"));
    // The profile shows the history.
    let page = Client::new(&app).get("/u/helper").body;
    assert!(
        page.contains("answer accepted"),
        "no history on the profile"
    );
    assert!(page.contains("rep-chart"), "no chart on the profile");
    // Deleted by a moderator: everything the answer earned is gone (and the asker's +2).
    m.send_json(
        "POST",
        &format!("/api/v1/review/post/{a}"),
        json!({"action": "delete", "reason": "test"}),
    )
    .assert_status(200);
    eventually("deleted", 0, || app.reputation("helper"));
    eventually("no accept bonus", 5, || app.reputation("asker"));
    // The totals rebuilt from the data are the same.
    let before: Vec<(String, i32)> = ["asker", "helper", "voter1", "voter2"]
        .iter()
        .map(|h| (h.to_string(), app.reputation(h)))
        .collect();
    let out = crate::crash::cli(
        &app.database_url,
        &app.search_dir,
        &["reputation", "recalculate"],
    );
    assert!(out.contains("recalculated"), "{out}");
    let after: Vec<(String, i32)> = ["asker", "helper", "voter1", "voter2"]
        .iter()
        .map(|h| (h.to_string(), app.reputation(h)))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn trust_levels_gate_privileges_and_say_what_unlocks_them() {
    let app = spawn_app_with(|s| {
        s.trust.privileges = Privileges::default();
        s.trust.level1 = TrustRequirements {
            days_visited: 1,
            answers: 1,
            ..TrustRequirements::default()
        };
        s.trust.level2 = TrustRequirements {
            answers: 2,
            ..TrustRequirements::default()
        };
        s.trust.level3 = TrustRequirements {
            answers: 3,
            ..TrustRequirements::default()
        };
    });
    app.member("newbie");
    app.member("other");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.user_with_role("staffer", Role::Staff, "", "");
    let (mut newbie, mut other) = (api(&app, "newbie"), api(&app, "other"));
    let (mut m, mut staff) = (api(&app, "mod"), api(&app, "staffer"));
    let t = ask(&mut other, "Which firmware fixes the fan noise");
    let theirs = answer(&mut other, t, "Version 2.1, I think.");
    assert_eq!(level(&app, "newbie"), 0);
    // Level 0: no votes, no flags, no comments on others' posts, each 403 saying why.
    let r = vote(&mut newbie, theirs, 1);
    r.assert_status(403);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("trust level 1"), "{msg}");
    vote(&mut newbie, theirs, -1).assert_status(403);
    newbie
        .send_json(
            "POST",
            &format!("/api/v1/posts/{theirs}/flags"),
            json!({"reason": "spam"}),
        )
        .assert_status(403);
    newbie
        .send_json(
            "POST",
            &format!("/api/v1/posts/{theirs}/comments"),
            json!({"body": "Are you sure?"}),
        )
        .assert_status(403);
    // One answer (and the visit of signing in): level 1 — votes up, not down.
    answer(&mut newbie, t, "Version 2.2 fixed it for me.");
    eventually("level 1", 1, || level(&app, "newbie"));
    vote(&mut newbie, theirs, 1).assert_status(200);
    let r = vote(&mut newbie, theirs, -1);
    r.assert_status(403);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("trust level 2"));
    // More answers: 2, then 3.
    let t2 = ask(&mut other, "Where is the reset button");
    let mine = answer(&mut newbie, t2, "Under the rubber foot.");
    eventually("level 2", 2, || level(&app, "newbie"));
    vote(&mut newbie, theirs, -1).assert_status(200);
    let t3 = ask(&mut other, "How long does the battery last");
    answer(&mut newbie, t3, "About ten hours.");
    eventually("level 3", 3, || level(&app, "newbie"));
    // Level 3 moves threads; closing still needs 4.
    newbie
        .send_json(
            "POST",
            &format!("/api/v1/threads/{t3}/close"),
            json!({"closed": true}),
        )
        .assert_status(403);
    // Moderation against them: back to 2 (and level 2 is kept).
    m.send_json(
        "POST",
        &format!("/api/v1/review/post/{mine}"),
        json!({"action": "hide", "reason": "Please cite the manual"}),
    )
    .assert_status(200);
    eventually("back to 2", 2, || level(&app, "newbie"));
    // The account page shows the level and what the next needs.
    let mut browser = Client::new(&app);
    browser
        .submit(
            "/login",
            "/login",
            &[("login", "newbie"), ("password", PASSWORD), ("next", "/")],
        )
        .assert_status(303);
    let page = browser.get("/account").body;
    assert!(
        page.contains("trust level 2"),
        "no level on the account page"
    );
    // Levels by hand: moderators lock 0-3, only staff grant 4.
    let newbie_id: i64 = newbie.get("/api/v1/me").json()["id"].as_i64().unwrap();
    let set = |c: &mut Client, level: i32| -> Resp {
        c.send_json(
            "POST",
            &format!("/api/v1/users/{newbie_id}/trust"),
            json!({ "level": level }),
        )
    };
    set(&mut other, 3).assert_status(403);
    set(&mut m, 4).assert_status(403);
    set(&mut m, 9).assert_status(422);
    let r = set(&mut staff, 4);
    r.assert_status(200);
    assert_eq!(r.json()["trust_level"], 4);
    // Level 4 closes threads as a community moderator.
    newbie
        .send_json(
            "POST",
            &format!("/api/v1/threads/{t3}/close"),
            json!({"closed": true, "reason": "resolved_elsewhere"}),
        )
        .assert_status(200);
    // A locked level stays whatever happens.
    let r: Value = set(&mut m, 1).json();
    assert_eq!(r["trust_locked"], true);
    answer(&mut newbie, t2, "One more answer.");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(level(&app, "newbie"), 1);
}

#[test]
fn badges_are_awarded_once_even_when_the_log_is_replayed() {
    let app = spawn_app_with(|s| s.trust.badges = true);
    for h in ["asker", "helper", "fan1", "fan2", "fan3", "fan4", "fan5"] {
        app.member(h);
    }
    let (mut asker, mut helper) = (api(&app, "asker"), api(&app, "helper"));
    let t = ask(&mut asker, "The dock charges but shows no picture");
    let a = answer(&mut helper, t, "Use the DisplayPort cable, not HDMI.");
    for f in ["fan1", "fan2", "fan3", "fan4", "fan5"] {
        vote(&mut api(&app, f), a, 1).assert_status(200);
    }
    asker
        .send_json("POST", &format!("/api/v1/posts/{a}/accept"), json!({}))
        .assert_status(200);
    let badges = |app: &TestApp, handle: &str| -> Vec<String> {
        let handle = handle.to_string();
        app.db
            .read_blocking(move |conn| {
                use diesel::prelude::*;
                use peerdesk::db::schema::{badge_awards, users};
                Ok(badge_awards::table
                    .inner_join(users::table)
                    .filter(users::handle.eq(handle))
                    .order(badge_awards::badge.asc())
                    .select(badge_awards::badge)
                    .load::<String>(conn)?)
            })
            .expect("badges")
    };
    // The helper also answered the asker's first question first: welcomer.
    let want: Vec<String> = ["first_accepted", "first_answer", "good_answer", "welcomer"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    eventually("the helper's badges", want.clone(), || {
        badges(&app, "helper")
    });
    eventually("the voters' badge", vec!["supporter".to_string()], || {
        badges(&app, "fan1")
    });
    // Badges read the posts' current state, so they can show before the consumer has applied
    // the accept itself: wait for its reputation (five upvotes and the accept).
    use peerdesk::peers::ledger::{ANSWER_ACCEPTED, ANSWER_UPVOTED};
    eventually(
        "the helper's reputation",
        5 * ANSWER_UPVOTED + ANSWER_ACCEPTED,
        || app.reputation("helper"),
    );
    // Replaying the whole log through the consumer, then backfilling, awards nothing twice.
    let reputation_before = app.reputation("helper");
    app.db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::events::{Consumer, Event};
            let all: Vec<Event> = peerdesk::db::schema::events::table
                .order(peerdesk::db::schema::events::id.asc())
                .select(Event::as_select())
                .load(conn)?;
            let mut consumer = peerdesk::peers::Reputation {
                trust: peerdesk::config::TrustSettings::default(),
            };
            for e in &all {
                consumer.apply(conn, e)?;
            }
            Ok(())
        })
        .expect("replay");
    assert_eq!(badges(&app, "helper"), want, "a replay awarded twice");
    assert_eq!(
        app.reputation("helper"),
        reputation_before,
        "a replay changed reputation"
    );
    let out = crate::crash::cli(&app.database_url, &app.search_dir, &["badges", "backfill"]);
    assert!(out.contains("0 badge(s) awarded"), "{out}");
    assert_eq!(badges(&app, "helper"), want);
    // The badge pages list them and their holders.
    let mut anon = Client::new(&app);
    let page = anon.get("/badges").body;
    assert!(page.contains("Good answer"));
    let holders = anon.get("/badges/good_answer").body;
    assert!(holders.contains("/u/helper"));
    anon.get("/badges/nope").assert_status(404);
    // The card over a name counts them.
    let card = anon.get("/u/helper/card").body;
    assert!(card.contains("4 bronze"), "{card}");
}

#[test]
fn staff_recommend_a_peers_answer_and_leaderboards_list_peers_apart() {
    let app = spawn_app();
    app.member("asker");
    app.member("peer");
    app.member("peer2");
    app.user_with_role("staffer", Role::Staff, "Sam", "Support engineer");
    let (mut asker, mut peer, mut peer2) =
        (api(&app, "asker"), api(&app, "peer"), api(&app, "peer2"));
    let mut staff = api(&app, "staffer");
    let t = ask(&mut asker, "Printer prints blank pages");
    let first = answer(&mut peer2, t, "Clean the print head.");
    let good = answer(&mut peer, t, "Replace the toner cartridge: it is empty.");
    let own = answer(&mut staff, t, "Check the driver version.");
    let recommend = |c: &mut Client, post: i64, on: bool| {
        c.send_json(
            "POST",
            &format!("/api/v1/posts/{post}/recommend"),
            json!({ "recommended": on }),
        )
    };
    recommend(&mut peer2, good, true).assert_status(403);
    recommend(&mut staff, own, true).assert_status(422);
    recommend(&mut staff, good, true).assert_status(200);
    // It ranks first among equal answers, is shown with the staff member's name, and is in the
    // timeline.
    let v = Client::new(&app)
        .get(&format!("/api/v1/threads/{t}"))
        .json();
    assert_eq!(v["posts"][1]["id"], good, "recommended answer first");
    let _ = first;
    assert!(v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "recommended"));
    let mut anon = Client::new(&app);
    let path = anon.get(&format!("/t/{t}")).location().to_string();
    let html = anon.get(&path).body;
    assert!(html.contains("Recommended by staff"));
    eventually("recommended earns 10", 10, || app.reputation("peer"));
    // Accepted: the leaderboards count it; staff are listed apart.
    asker
        .send_json("POST", &format!("/api/v1/posts/{good}/accept"), json!({}))
        .assert_status(200);
    eventually("accepted", 25, || app.reputation("peer"));
    let people = anon.get("/people?period=week").body;
    let peers_at = people
        .find("Customers helping customers")
        .expect("peers list");
    let helper_at = people.find("/u/peer\"").expect("the peer is listed");
    assert!(helper_at > peers_at);
    assert!(anon.get("/people?period=all").body.contains("/u/peer\""));
    anon.get("/people?period=decade").assert_status(422);
    let cat = anon.get("/c/general").body;
    assert!(cat.contains("Top helpers this week") && cat.contains("/u/peer\""));
    recommend(&mut staff, good, false).assert_status(200);
    eventually("taken back", 15, || app.reputation("peer"));
}
