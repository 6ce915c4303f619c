//! The relevance test set: a small realistic corpus and queries, each of which must return its
//! thread in the top 3. Add a case whenever a ranking change or a user report shows a miss.

use crate::helpers::*;
use crate::search::urlencode;
use serde_json::json;

/// (key, title, question, accepted answer or "")
const CORPUS: &[(&str, &str, &str, &str)] = &[
    (
        "reset-mail",
        "Password reset email never arrives",
        "I requested a password reset three times and no email arrived.",
        "Check your spam folder and add noreply@example.com to your contacts.",
    ),
    (
        "reset-expired",
        "Password reset link says it has expired",
        "Clicking the reset link shows 'link expired' right away.",
        "Links expire after one hour; request a new one and open it in the same browser.",
    ),
    (
        "2fa-lost",
        "Lost my phone with the two-factor app",
        "I cannot log in because my authenticator app was on my old phone.",
        "Use one of your backup codes, then set up two-factor authentication again.",
    ),
    (
        "wifi-evening",
        "Router drops WiFi every evening",
        "Every evening around 8pm the wireless connection drops for a few minutes.",
        "Switch the 2.4 GHz channel from auto to 1, 6 or 11 to avoid neighbours' networks.",
    ),
    (
        "firmware-stuck",
        "Firmware update stuck at 80 percent",
        "The router firmware update hangs at 80% and the light blinks orange.",
        "Wait 10 minutes, then unplug it; it falls back to the previous firmware automatically.",
    ),
    (
        "port-forward",
        "Port forwarding does not work for my game server",
        "I forwarded UDP 3074 but friends cannot connect.",
        "Turn off double NAT: put the provider's modem in bridge mode.",
    ),
    (
        "vpn-drops",
        "VPN disconnects every ten minutes",
        "The VPN tunnel drops and reconnects every ten minutes on Windows.",
        "Disable the keep-alive power saving option of the network adapter.",
    ),
    (
        "backup-0x80070005",
        "Backup fails with error 0x80070005",
        "Cloud Backup stops with error 0x80070005 access denied.",
        "Run the backup service as administrator or give it access to the folder.",
    ),
    (
        "restore-single",
        "How do I restore a single file from backup",
        "I only need one deleted document back, not the whole backup.",
        "Open the backup browser, pick the date and use Restore on that one file.",
    ),
    (
        "camera-night",
        "Camera night vision image is blurry",
        "At night the camera picture is blurry and washed out.",
        "Clean the lens and turn off the IR light reflection by moving it away from windows.",
    ),
    (
        "invoice-twice",
        "I was charged twice for my subscription",
        "My card shows two charges for this month's plan.",
        "The second charge is a pre-authorisation; it disappears within 5 days.",
    ),
    (
        "refund",
        "How long does a refund take",
        "I cancelled and was promised a refund.",
        "Refunds take 5 to 10 business days depending on your bank.",
    ),
    (
        "notifications-android",
        "App notifications do not arrive on Android 14",
        "I get no push notifications since the Android update.",
        "Allow notifications in Android settings and turn off battery optimisation for the app.",
    ),
    (
        "de-verbindung",
        "Router verbindet sich nicht mit dem Internet",
        "Seit gestern habe ich keine Internetverbindung, die Lampe leuchtet rot.",
        "Starten Sie den Router neu und prüfen Sie die Zugangsdaten des Anbieters.",
    ),
    (
        "de-passwort",
        "Passwort vergessen und keine E-Mail erhalten",
        "Ich habe mein Passwort vergessen und die E-Mail zum Zurücksetzen kommt nicht an.",
        "Schauen Sie im Spam-Ordner nach.",
    ),
];

/// (query, key that must be in the top 3)
const CASES: &[(&str, &str)] = &[
    ("password reset email", "reset-mail"),
    ("reset link expired", "reset-expired"),
    ("pasword rset", "reset-mail"),
    ("lost phone two factor", "2fa-lost"),
    ("authenticator app new phone", "2fa-lost"),
    ("wifi drops at night", "wifi-evening"),
    ("wireless connection drops evening", "wifi-evening"),
    ("firmware update hangs", "firmware-stuck"),
    ("\"firmware update\"", "firmware-stuck"),
    ("port forwarding game", "port-forward"),
    ("double nat", "port-forward"),
    ("vpn disconnect", "vpn-drops"),
    ("0x80070005", "backup-0x80070005"),
    ("backup access denied", "backup-0x80070005"),
    ("restore one file", "restore-single"),
    ("blurry night camera", "camera-night"),
    ("charged twice", "invoice-twice"),
    ("refund how long", "refund"),
    ("notifications android", "notifications-android"),
    ("push notification missing", "notifications-android"),
    ("internetverbindung router", "de-verbindung"),
    ("passwort vergessen", "de-passwort"),
    ("notifcations", "notifications-android"),
    ("subscribtion charged", "invoice-twice"),
];

/// Loads the corpus into `app`; returns each key's thread id.
fn load_corpus(app: &TestApp) -> std::collections::HashMap<&'static str, i64> {
    app.member("corpus");
    app.member("answerer");
    let mut asker = Client::api(app, &app.token_for("corpus"));
    let mut answerer = Client::api(app, &app.token_for("answerer"));
    let mut id_of = std::collections::HashMap::new();
    for (key, title, question, accepted) in CORPUS {
        let r = asker.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": title, "body": question, "category": "general"}),
        );
        r.assert_status(201);
        let id = r.json()["id"].as_i64().expect("id");
        if !accepted.is_empty() {
            let a = answerer.send_json(
                "POST",
                &format!("/api/v1/threads/{id}/posts"),
                json!({"body": accepted}),
            );
            a.assert_status(201);
            let aid = a.json()["id"].as_i64().expect("aid");
            asker
                .send_json("POST", &format!("/api/v1/posts/{aid}/accept"), json!({}))
                .assert_status(200);
        }
        id_of.insert(*key, id);
    }
    app.wait_for_index();
    id_of
}

/// Each case's rank (1-based) in the first `limit` results, if there.
fn ranks(
    app: &TestApp,
    id_of: &std::collections::HashMap<&'static str, i64>,
    limit: usize,
) -> Vec<Option<usize>> {
    let mut c = Client::new(app);
    CASES
        .iter()
        .map(|(query, key)| {
            let r = c.get(&format!(
                "/api/v1/search?q={}&limit={limit}",
                urlencode(query)
            ));
            r.assert_status(200);
            r.json()["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .position(|h| h["id"].as_i64() == Some(id_of[key]))
                .map(|p| p + 1)
        })
        .collect()
}

#[test]
fn every_query_finds_its_thread_in_the_top_3() {
    let app = spawn_app();
    let id_of = load_corpus(&app);
    let misses: Vec<String> = CASES
        .iter()
        .zip(ranks(&app, &id_of, 3))
        .filter(|(_, rank)| rank.is_none())
        .map(|((query, key), _)| format!("{query:?} should find {key} in the top 3"))
        .collect();
    assert!(
        misses.is_empty(),
        "relevance misses:\n{}",
        misses.join("\n")
    );
}

/// Meaning as a signal in the main search (the model reorders the first 30 results): on the
/// same corpus, every query still finds its thread in the top 3, none ranks it lower than
/// words alone do, and the mean reciprocal rank is no worse.
#[test]
fn meaning_as_a_signal_makes_no_query_worse() {
    let words = spawn_app();
    let hybrid = spawn_app_with(|s| s.search.semantic.enabled = true);
    let words_ids = load_corpus(&words);
    let hybrid_ids = load_corpus(&hybrid);
    // The vectors are made in the background: wait for them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let s = Client::new(&hybrid).get("/readyz").json()["semantic"].clone();
        if s["state"] == "on" && s["lag"] == 0 && s["pending"] == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "vectors did not catch up: {s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let before = ranks(&words, &words_ids, 10);
    let after = ranks(&hybrid, &hybrid_ids, 10);
    let mrr = |r: &[Option<usize>]| {
        r.iter()
            .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
            .sum::<f64>()
            / r.len() as f64
    };
    let mut worse = Vec::new();
    for (((query, key), b), a) in CASES.iter().zip(&before).zip(&after) {
        let lower = match (b, a) {
            (Some(b), Some(a)) => a > b,
            (Some(_), None) => true,
            _ => false,
        };
        if lower || !a.is_some_and(|a| a <= 3) {
            worse.push(format!(
                "{query:?} ({key}): words {b:?}, with meaning {a:?}"
            ));
        }
    }
    let (m_before, m_after) = (mrr(&before), mrr(&after));
    eprintln!("relevance set MRR@10: words {m_before:.3}, with meaning {m_after:.3}");
    assert!(
        worse.is_empty(),
        "ranked lower with meaning:\n{}",
        worse.join("\n")
    );
    assert!(m_after >= m_before, "MRR {m_before:.3} -> {m_after:.3}");
}
