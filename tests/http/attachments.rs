//! Attachments over real HTTP: uploads (API and the editor's endpoint), what is kept of a
//! picture (no GPS), refusals (type, size before reading it all, pixels, the daily allowance),
//! serving (headers that let nothing run), who may fetch a file (its post's visibility:
//! unposted, private threads, hidden posts, comments) and removing uploads never posted.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

/// A JPEG whose EXIF holds an orientation and a GPS position (with a marker string).
fn jpeg_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 32, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 8) as u8, 90])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&img)
        .expect("encode");
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II\x2A\0\x08\0\0\0");
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // orientation 6
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]); // GPS IFD at 38
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS-52.5200N-13.4050E");
    let len = 2 + 6 + tiff.len();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, (len >> 8) as u8, len as u8]);
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 120, 200, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A GET whose body is kept as bytes.
fn get_bytes(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut req = agent.get(&format!("{}{path}", app.base));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let hs = resp
        .headers_names()
        .into_iter()
        .map(|n| {
            (
                n.to_ascii_lowercase(),
                resp.header(&n).unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    resp.into_reader().read_to_end(&mut body).expect("body");
    (status, hs, body)
}

fn header<'a>(hs: &'a [(String, String)], name: &str) -> &'a str {
    hs.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

fn upload(c: &mut Client, name: &str, bytes: &[u8]) -> Resp {
    c.send_raw(
        "POST",
        &format!(
            "/api/v1/attachments?filename={}",
            crate::search::urlencode(name)
        ),
        "application/octet-stream",
        bytes,
    )
}

/// The id of the question post of the thread `id` (a number or its JSON value).
fn question_post(app: &TestApp, id: &dyn std::fmt::Display) -> i64 {
    Client::new(app)
        .get(&format!("/api/v1/threads/{id}"))
        .json()["posts"][0]["id"]
        .as_i64()
        .expect("question post id")
}

fn ask(c: &mut Client, title: &str, body: &str, private: bool) -> serde_json::Value {
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": body, "category": "general", "private": private}),
    );
    r.assert_status(201);
    r.json()
}

#[test]
fn a_screenshot_is_kept_without_its_location_and_served_safely() {
    let app = spawn_app();
    app.member("ann");
    app.member("ben");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let mut ben = Client::api(&app, &app.token_for("ben"));

    let r = upload(&mut ann, "IMG_0042.JPG", &jpeg_with_gps());
    r.assert_status(201);
    let a = r.json();
    let id = a["id"].as_i64().expect("id");
    assert_eq!(a["kind"], "image");
    assert_eq!(a["mime"], "image/jpeg");
    assert_eq!(a["filename"], "IMG_0042.jpg");
    // Turned the way the camera held it: 32 wide, 64 high.
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(32), Some(64))
    );
    let url = a["url"].as_str().expect("url").to_string();
    assert_eq!(url, format!("/attachments/{id}/IMG_0042.jpg"));
    assert_eq!(a["markdown"], format!("![IMG_0042]({url})"));

    // Not posted yet: its uploader only.
    let token = app.token_for("ann");
    let bearer = format!("Bearer {token}");
    let (status, _, bytes) = get_bytes(&app, &url, &[("Authorization", &bearer)]);
    assert_eq!(status, 200);
    assert!(!contains(&bytes, b"GPS-52.5200N"), "the position is gone");
    assert!(bytes.starts_with(b"\xFF\xD8\xFF"));
    image::load_from_memory(&bytes).expect("still a picture");
    assert_eq!(get_bytes(&app, &url, &[]).0, 404);
    let ben_token = format!("Bearer {}", app.token_for("ben"));
    assert_eq!(
        get_bytes(&app, &url, &[("Authorization", &ben_token)]).0,
        404
    );
    ben.get(&format!("/api/v1/attachments/{id}"))
        .assert_status(404);
    ann.get(&format!("/api/v1/attachments/{id}"))
        .assert_status(200);

    // Posted: as visible as its question. Ben cannot claim Ann's file into his post.
    let t = ask(
        &mut ann,
        "Router shows a red light after update",
        &format!("It looks like this:\n\n![screen]({url})"),
        false,
    );
    let thread = t["id"].as_i64().expect("thread id");
    let (status, hs, bytes) = get_bytes(&app, &url, &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&hs, "content-type"), "image/jpeg");
    assert_eq!(header(&hs, "x-content-type-options"), "nosniff");
    assert!(header(&hs, "content-security-policy").contains("sandbox"));
    assert!(header(&hs, "content-security-policy").contains("default-src 'none'"));
    assert!(header(&hs, "content-disposition").starts_with("inline; filename=\"IMG_0042.jpg\""));
    assert!(!contains(&bytes, b"GPS-52.5200N"));
    // Revalidation answers 304 without the bytes.
    let etag = header(&hs, "etag").to_string();
    let (status, _, body) = get_bytes(&app, &url, &[("If-None-Match", &etag)]);
    assert_eq!((status, body.len()), (304, 0));
    // The thumbnail, and the page shows it linked to the full picture.
    let (status, hs, thumb) = get_bytes(&app, &format!("/attachments/{id}/thumb"), &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&hs, "content-type"), "image/jpeg");
    let t_img = image::load_from_memory(&thumb).expect("thumbnail");
    assert_eq!((t_img.width(), t_img.height()), (32, 64));
    let page = Client::new(&app).get(&format!("/t/{thread}"));
    let page = if page.status == 301 {
        Client::new(&app).get(page.location())
    } else {
        page
    };
    assert!(
        page.body
            .contains(&format!("<a class=\"attachment-image\" href=\"{url}\"")),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(&format!("src=\"/attachments/{id}/thumb\"")));

    // A second upload by Ann, linked from Ben's answer, stays Ann's unposted file.
    let other = upload(&mut ann, "notes.txt", b"my private notes").json();
    let other_url = other["url"].as_str().expect("url").to_string();
    ben.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": format!("Try this: [notes]({other_url})") }),
    )
    .assert_status(201);
    assert_eq!(get_bytes(&app, &other_url, &[]).0, 404);
}

#[test]
fn html_and_svg_are_downloads_that_run_nothing() {
    let app = spawn_app();
    app.member("ann");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let html = b"<html><body><script>document.title='pwned'</script>hi</body></html>";
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script><rect width='10' height='10'/></svg>";
    let h = upload(&mut ann, "page.html", html).json();
    let s = upload(&mut ann, "diagram.svg", svg).json();
    assert_eq!(
        (h["kind"].as_str(), h["mime"].as_str()),
        (Some("file"), Some("text/html"))
    );
    assert_eq!(
        (s["kind"].as_str(), s["mime"].as_str()),
        (Some("file"), Some("image/svg+xml"))
    );
    ask(
        &mut ann,
        "Here are my page and my diagram files",
        &format!(
            "[page]({}) and [diagram]({})",
            h["url"].as_str().unwrap(),
            s["url"].as_str().unwrap()
        ),
        false,
    );
    for (a, body) in [(&h, &html[..]), (&s, &svg[..])] {
        let (status, hs, bytes) = get_bytes(&app, a["url"].as_str().unwrap(), &[]);
        assert_eq!(status, 200);
        assert_eq!(bytes, body, "served as uploaded");
        assert_eq!(header(&hs, "content-type"), "text/plain; charset=utf-8");
        assert!(header(&hs, "content-disposition").starts_with("attachment;"));
        assert_eq!(header(&hs, "x-content-type-options"), "nosniff");
        let csp = header(&hs, "content-security-policy");
        assert!(
            csp.contains("sandbox") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("script-src"), "{csp}");
    }
    // An SVG has no thumbnail.
    assert_eq!(
        get_bytes(&app, &format!("/attachments/{}/thumb", s["id"]), &[]).0,
        404
    );
}

#[test]
fn refusals_say_why_and_write_nothing() {
    let app = spawn_app_with(|s| {
        s.attachments.max_file_mb = 1;
        s.attachments.max_megapixels = 1;
    });
    app.member("ann");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let mut anon = Client::new(&app);

    let r = upload(
        &mut ann,
        "setup.exe",
        b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff",
    );
    r.assert_status(422);
    assert!(
        r.json()["message"].as_str().unwrap().contains("setup.exe"),
        "{}",
        r.body
    );
    upload(&mut ann, "empty.txt", b"").assert_status(422);
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend_from_slice(&[7; 200]);
    upload(&mut ann, "broken.png", &fake).assert_status(422);
    // 2000 × 1000 is two megapixels: refused before it is decoded.
    let r = upload(&mut ann, "huge.png", &png(2000, 1000));
    r.assert_status(422);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("2,000 × 1,000 pixels; a picture may have at most 1 megapixel."),
        "{}",
        r.body
    );
    let r = upload(&mut ann, "big.log", &vec![b'a'; (1 << 20) + 1]);
    r.assert_status(413);
    assert_eq!(r.json()["error"], "too_large", "{}", r.body);
    upload(&mut anon, "a.txt", b"hello").assert_status(401);
    // In German for a German reader.
    ann.extra.push(("Accept-Language".into(), "de".into()));
    let r = upload(
        &mut ann,
        "setup.exe",
        b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff",
    );
    assert!(
        r.json()["message"].as_str().unwrap().contains("Dateiart"),
        "{}",
        r.body
    );
    assert_eq!(app.count("attachments"), 0);
}

/// Sends a request head announcing `declared` bytes and `sent` bytes of it, then reads the
/// answer. Returns the status line and headers+body text, and how long the answer took.
fn send_partial(app: &TestApp, token: &str, declared: u64, sent: usize) -> (String, Duration) {
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /api/v1/attachments?filename=big.bin HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n"
    );
    let start = Instant::now();
    s.write_all(head.as_bytes()).expect("head");
    // The server may answer and close before all of this is sent.
    let _ = s.write_all(&vec![0u8; sent]);
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    (
        String::from_utf8_lossy(&answer).to_string(),
        start.elapsed(),
    )
}

#[test]
fn a_100_mb_upload_is_refused_at_the_limit_without_reading_it() {
    let app = spawn_app();
    app.member("ann");
    let token = app.token_for("ann");
    // 100 MB announced, 256 KB sent: the answer comes without the rest.
    let (answer, _) = send_partial(&app, &token, 100 << 20, 256 << 10);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");
    assert!(answer.contains("100 MB"), "{answer}");

    // Without a length (chunked), the upload stops as soon as it passes the limit.
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /api/v1/attachments?filename=big.bin HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    let mut sent = 0usize;
    let mut refused = false;
    // At most 30 MB: the limit is 10 MB.
    for _ in 0..30 {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(&chunk);
        frame.extend_from_slice(b"\r\n");
        if s.write_all(&frame).is_err() {
            refused = true;
            break;
        }
        sent += chunk.len();
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413") || refused, "{answer}");
    assert!(sent < 30 << 20 || answer.starts_with("HTTP/1.1 413"));
    assert_eq!(app.count("attachments"), 0);
}

#[test]
fn a_daily_allowance_per_member_but_not_for_staff() {
    let app = spawn_app_with(|s| {
        s.attachments.daily_files_per_user = 2;
        s.attachments.daily_mb_per_user = 1;
    });
    app.member("ann");
    app.member("bea");
    app.user_with_role("sam", Role::Staff, "Sam", "");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    upload(&mut ann, "a.txt", b"one").assert_status(201);
    upload(&mut ann, "b.txt", b"two").assert_status(201);
    let r = upload(&mut ann, "c.txt", b"three");
    r.assert_status(429);
    assert!(r.header("retry-after").is_some());
    assert!(
        r.json()["message"].as_str().unwrap().contains('2'),
        "{}",
        r.body
    );
    // Bytes: 700 KB twice passes the 1 MB day on the second.
    let mut bea = Client::api(&app, &app.token_for("bea"));
    upload(&mut bea, "a.log", &vec![b'a'; 700 << 10]).assert_status(201);
    upload(&mut bea, "b.log", &vec![b'b'; 700 << 10]).assert_status(429);
    let mut sam = Client::api(&app, &app.token_for("sam"));
    for n in 0..4 {
        upload(
            &mut sam,
            &format!("{n}.txt"),
            format!("file {n}").as_bytes(),
        )
        .assert_status(201);
    }
}

#[test]
fn attachments_follow_their_posts_visibility() {
    let app = spawn_app();
    app.member("ann");
    app.member("ben");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.user_with_role("sam", Role::Staff, "Sam", "");
    let tok = |h: &str| format!("Bearer {}", app.token_for(h));
    let (ann_t, ben_t, mod_t, sam_t) = (tok("ann"), tok("ben"), tok("mod"), tok("sam"));
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let mut sam = Client::api(&app, &app.token_for("sam"));
    let can = |url: &str, who: Option<&str>| {
        let hs: Vec<(&str, &str)> = who.map(|t| vec![("Authorization", t)]).unwrap_or_default();
        get_bytes(&app, url, &hs).0 == 200
    };

    // A private question's screenshot: its asker and staff; not other members, moderators
    // (unless allowed) or visitors.
    let shot = upload(&mut ann, "invoice.png", &png(20, 20)).json();
    let url = shot["url"].as_str().unwrap().to_string();
    let t = ask(
        &mut ann,
        "My invoice shows the wrong amount",
        &format!("![invoice]({url})"),
        true,
    );
    let thread = t["id"].as_i64().unwrap();
    assert!(can(&url, Some(&ann_t)));
    assert!(can(&url, Some(&sam_t)));
    assert!(!can(&url, Some(&ben_t)));
    assert!(!can(&url, Some(&mod_t)));
    assert!(!can(&url, None));
    assert!(!can(&format!("/attachments/{}/thumb", shot["id"]), None));

    // An internal note's file: staff only.
    let note_file = upload(&mut sam, "trace.log", b"internal trace").json();
    let note_url = note_file["url"].as_str().unwrap().to_string();
    sam.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/notes"),
        json!({ "body": format!("See [trace]({note_url})") }),
    )
    .assert_status(201);
    assert!(can(&note_url, Some(&sam_t)));
    assert!(!can(&note_url, Some(&ann_t)));

    // A public answer's file, then the answer hidden by a moderator: its author and
    // moderators still; others not.
    let public = ask(
        &mut ann,
        "Router drops Wi-Fi every hour",
        "Happens daily since the update.",
        false,
    );
    let pub_id = public["id"].as_i64().unwrap();
    let mut ben = Client::api(&app, &app.token_for("ben"));
    let log = upload(&mut ben, "router.log", b"10:00 wifi down").json();
    let log_url = log["url"].as_str().unwrap().to_string();
    let r = ben.send_json(
        "POST",
        &format!("/api/v1/threads/{pub_id}/posts"),
        json!({ "body": format!("Same here, my log: [router.log]({log_url}) (15 bytes)") }),
    );
    r.assert_status(201);
    let answer = r.json()["id"].as_i64().unwrap();
    assert!(can(&log_url, None));
    let mut moderator = Client::api(&app, &app.token_for("mod"));
    moderator
        .send_json(
            "POST",
            &format!("/api/v1/review/post/{answer}"),
            json!({ "action": "hide", "reason": "walk" }),
        )
        .assert_status(200);
    assert!(!can(&log_url, None));
    assert!(!can(&log_url, Some(&ann_t)));
    assert!(can(&log_url, Some(&ben_t)));
    assert!(can(&log_url, Some(&mod_t)));

    // A comment's file follows the comment.
    let pic = upload(&mut ann, "detail.png", &png(8, 8)).json();
    let pic_url = pic["url"].as_str().unwrap().to_string();
    let q_post = question_post(&app, &pub_id);
    let r = ann.send_json(
        "POST",
        &format!("/api/v1/posts/{q_post}/comments"),
        json!({ "body": format!("Closer: ![detail]({pic_url})") }),
    );
    r.assert_status(201);
    let comment = r.json()["id"].as_i64().unwrap();
    assert!(can(&pic_url, None));
    moderator
        .send_json(
            "POST",
            &format!("/api/v1/review/comment/{comment}"),
            json!({ "action": "hide", "reason": "walk" }),
        )
        .assert_status(200);
    assert!(!can(&pic_url, None));
    assert!(can(&pic_url, Some(&ann_t)));
}

#[test]
fn the_editor_uploads_with_its_session_and_token() {
    let app = spawn_app();
    let mut ann = app.member("ann");
    let page = ann.get("/ask");
    assert!(
        page.body.contains("data-attach=\"body\""),
        "the ask page has the control"
    );
    let csrf = page.csrf();
    let r = ann.send_raw(
        "POST",
        &format!("/attachments?filename=shot.png&csrf={csrf}"),
        "image/png",
        &png(30, 10),
    );
    r.assert_status(201);
    let a = r.json();
    assert_eq!(a["kind"], "image");
    // The wrong token: refused, as JSON the script can show.
    let r = ann.send_raw(
        "POST",
        "/attachments?filename=shot.png&csrf=nope",
        "image/png",
        &png(30, 10),
    );
    r.assert_status(403);
    assert!(r.json()["message"].is_string());
    // The file size in the reader's language for a file link.
    ann.extra.push(("Accept-Language".into(), "de".into()));
    let r = ann.send_raw(
        "POST",
        &format!("/attachments?filename=report.csv&csrf={csrf}"),
        "text/csv",
        &vec![b'1'; 1536 * 1024],
    );
    r.assert_status(201);
    let md = r.json()["markdown"].as_str().unwrap().to_string();
    assert!(
        md.starts_with("[report.csv](/attachments/") && md.ends_with("(1,5 MB)"),
        "{md}"
    );
    // Posting the question claims both.
    let body = format!("![shot]({}) and {md}", a["url"].as_str().unwrap());
    app.ask(&mut ann, "Sync fails with a CSV export attached", &body);
    let unposted = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::attachments::dsl::*;
            Ok(attachments
                .filter(post_id.is_null())
                .count()
                .get_result::<i64>(conn)?)
        })
        .unwrap();
    assert_eq!(unposted, 0);
}

#[test]
fn uploads_never_posted_are_removed_after_a_day() {
    let app = spawn_app();
    app.member("ann");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let kept = upload(&mut ann, "kept.txt", b"posted file").json();
    let gone = upload(&mut ann, "gone.txt", b"never posted").json();
    let same = upload(&mut ann, "same.txt", b"posted file").json(); // same bytes as `kept`
    ask(
        &mut ann,
        "Attaching one file of three here",
        &format!("[kept]({})", kept["url"].as_str().unwrap()),
        false,
    );
    let (gone_id, same_id) = (gone["id"].as_i64().unwrap(), same["id"].as_i64().unwrap());
    let dir = std::path::PathBuf::from(&app.state.settings.attachments.dir);
    assert_eq!(sweep_a_day_later(&app, vec![gone_id, same_id]), 2);
    assert_eq!(app.count("attachments"), 1);
    // The posted file is still served; the file shared with a removed upload too.
    assert_eq!(get_bytes(&app, kept["url"].as_str().unwrap(), &[]).0, 200);
    let files: Vec<_> = walk(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
}

#[test]
fn editing_a_file_out_takes_it_back() {
    let app = spawn_app();
    app.member("ann");
    app.member("ben");
    app.user_with_role("mod", Role::Moderator, "", "");
    let tok = |h: &str| format!("Bearer {}", app.token_for(h));
    let (ann_t, ben_t, mod_t) = (tok("ann"), tok("ben"), tok("mod"));
    let can = |url: &str, who: Option<&str>| {
        let hs: Vec<(&str, &str)> = who.map(|t| vec![("Authorization", t)]).unwrap_or_default();
        get_bytes(&app, url, &hs).0 == 200
    };
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let shot = upload(&mut ann, "licence.png", &png(12, 12)).json();
    let log = upload(&mut ann, "router.log", b"wifi down at 10:00").json();
    let (shot_url, log_url) = (
        shot["url"].as_str().unwrap().to_string(),
        log["url"].as_str().unwrap().to_string(),
    );
    let t = ask(
        &mut ann,
        "Licence screen shows an error",
        &format!("![screen]({shot_url}) and [log]({log_url})"),
        false,
    );
    let question = question_post(&app, &t["id"]);
    assert!(can(&shot_url, None) && can(&log_url, None));
    let edit = |c: &mut Client, body: &str| {
        c.send_json(
            "PATCH",
            &format!("/api/v1/posts/{question}"),
            json!({ "body": body }),
        )
        .assert_status(200);
    };

    // The asker edits the screenshot out (it shows her licence key): nobody else may open it
    // from then on, the log she kept stays public.
    edit(&mut ann, &format!("Here is the log: [log]({log_url})"));
    assert!(!can(&shot_url, None));
    assert!(!can(&shot_url, Some(&ben_t)));
    assert!(can(&shot_url, Some(&ann_t)));
    assert!(can(&shot_url, Some(&mod_t)));
    assert!(!can(&format!("/attachments/{}/thumb", shot["id"]), None));
    assert!(can(&log_url, None));

    // Linking it again takes it back; a moderator editing it out lets go of it too.
    edit(&mut ann, &format!("![screen]({shot_url}) [log]({log_url})"));
    assert!(can(&shot_url, None));
    let mut moderator = Client::api(&app, &app.token_for("mod"));
    edit(
        &mut moderator,
        &format!("[log]({log_url}) (screenshot removed)"),
    );
    assert!(!can(&shot_url, None));
    assert!(can(&log_url, None));

    // The next sweep after `orphan_hours` deletes it, row and file; the log stays.
    let dir = std::path::PathBuf::from(&app.state.settings.attachments.dir);
    let files_before = walk(&dir).len();
    assert_eq!(
        sweep_a_day_later(&app, vec![shot["id"].as_i64().unwrap()]),
        1
    );
    assert!(!can(&shot_url, Some(&ann_t)));
    assert!(can(&log_url, None));
    // The picture and its thumbnail are gone from the disk.
    assert_eq!(walk(&dir).len(), files_before - 2);
}

#[test]
fn an_edit_linking_more_files_than_are_read_lets_go_of_none() {
    let app = spawn_app();
    app.user_with_role("sam", Role::Staff, "Sam", "");
    let mut sam = Client::api(&app, &app.token_for("sam"));
    // 101 files, one more than a text's links are read for.
    let urls: Vec<String> = (0..101)
        .map(|i| {
            let a = upload(
                &mut sam,
                &format!("part{i}.txt"),
                format!("part {i}").as_bytes(),
            );
            a.json()["url"].as_str().unwrap().to_string()
        })
        .collect();
    let links = |order: &[usize]| -> String {
        order
            .iter()
            .map(|&i| format!("[part {i}]({})", urls[i]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let t = ask(
        &mut sam,
        "Logs of the whole rollout, one file a site",
        &links(&(0..101).collect::<Vec<_>>()),
        false,
    );
    let question = question_post(&app, &t["id"]);
    let public = |i: usize| get_bytes(&app, &urls[i], &[]).0 == 200;
    assert!(public(99));
    // The same links with the last first: the first 100 read no longer include part 99,
    // which the post still links to and must keep.
    let mut order: Vec<usize> = vec![100];
    order.extend(0..100);
    sam.send_json(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        json!({ "body": links(&order) }),
    )
    .assert_status(200);
    assert!(public(99));
    assert!(public(0));
}

/// The hourly sweep of unposted uploads, run as if `ids` had been uploaded a day and a bit
/// ago and every file on disk written two hours ago. Returns how many rows it removed.
fn sweep_a_day_later(app: &TestApp, ids: Vec<i64>) -> usize {
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::attachments::dsl::*;
            diesel::update(attachments.filter(id.eq_any(ids)))
                .set(created_at.eq(peerdesk::db::now() - chrono::TimeDelta::hours(25)))
                .execute(conn)?;
            Ok(())
        })
        .unwrap();
    let dir = std::path::PathBuf::from(&app.state.settings.attachments.dir);
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    for entry in walk(&dir) {
        std::fs::File::options()
            .append(true)
            .open(&entry)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let (policy, store) = (
        app.state.upload_policy.clone(),
        app.state.attachments.clone(),
    );
    app.db
        .write_blocking(move |conn| peerdesk::attachments::remove_orphans(conn, &store, &policy))
        .unwrap()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "tmp") {
                    stack.push(p);
                }
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A form upload, as `curl -F file=@shot.png` sends it.
fn multipart(boundary: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[test]
fn form_uploads_take_the_file_part() {
    let app = spawn_app_with(|s| s.attachments.max_file_mb = 1);
    app.member("ann");
    let mut ann = Client::api(&app, &app.token_for("ann"));
    let ct = "multipart/form-data; boundary=----peerdesk42";
    let r = ann.send_raw(
        "POST",
        "/api/v1/attachments",
        ct,
        &multipart("----peerdesk42", "shot.png", &png(40, 20)),
    );
    r.assert_status(201);
    let a = r.json();
    assert_eq!(
        (a["filename"].as_str(), a["kind"].as_str()),
        (Some("shot.png"), Some("image"))
    );
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(40), Some(20))
    );
    // The file part alone is kept: the same bytes back.
    let token = format!("Bearer {}", app.token_for("ann"));
    let (status, _, bytes) = get_bytes(
        &app,
        a["url"].as_str().unwrap(),
        &[("Authorization", &token)],
    );
    assert_eq!((status, bytes), (200, png(40, 20)));
    // No file part: 400 with a message; a file part past the limit: 413.
    let r = ann.send_raw(
        "POST",
        "/api/v1/attachments",
        ct,
        b"------peerdesk42\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n------peerdesk42--\r\n",
    );
    r.assert_status(400);
    assert!(
        r.json()["message"].as_str().unwrap().contains("curl -F"),
        "{}",
        r.body
    );
    let r = ann.send_raw(
        "POST",
        "/api/v1/attachments",
        ct,
        &multipart("----peerdesk42", "big.log", &vec![b'a'; (1 << 20) + 10]),
    );
    r.assert_status(413);
    assert_eq!(app.count("attachments"), 1);
}
