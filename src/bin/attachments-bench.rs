//! Attachments benchmark (issue: first week). Two figures:
//!
//! 1. Processing a 5 MB camera JPEG (with EXIF and GPS): type check, metadata cut, decoding for
//!    the size and the thumbnail — the work between the last byte of an upload and its row.
//! 2. A thread page whose 20 answers each show an attached picture, against the same thread
//!    without attachments, on a fresh server (SQLite, in-process, loopback), page cache off so
//!    every request renders: measured round-robin in rounds so machine noise hits both alike;
//!    then the thumbnail requests a browser makes for such a page.
//!
//! Run: `cargo run --release --bin attachments-bench [-- --seconds 3 --rounds 3]`

use std::io::Cursor;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Value};

#[derive(Parser)]
#[command(about = "Attachment processing and thread pages with attachments (prints the figures)")]
struct Args {
    /// Seconds per page and round.
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Rounds per page (alternating).
    #[arg(long, default_value_t = 3)]
    rounds: u32,
    /// Client threads sending requests.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// How many times the 5 MB picture is processed.
    #[arg(long, default_value_t = 15)]
    images: usize,
}

/// A noisy 4000 × 3000 photo-like JPEG of about 5 MB with an EXIF block holding a GPS position.
fn camera_jpeg() -> anyhow::Result<Vec<u8>> {
    let mut seed = 0x9e37_79b9_u32;
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed & 0x1f) as u8;
        image::Rgb([
            ((x / 16) as u8).wrapping_add(n),
            ((y / 12) as u8).wrapping_add(n),
            ((x + y) as u8 / 2).wrapping_add(n),
        ])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 80).encode_image(&img)?;
    let mut tiff = b"II\x2A\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    let len = 2 + 6 + tiff.len();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, (len >> 8) as u8, len as u8]);
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    Ok(out)
}

fn small_png(n: u8) -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(1280, 800, |x, y| {
        image::Rgb([(x / 5) as u8, (y / 4) as u8, n.wrapping_mul(37)])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// A folder removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let p =
            std::env::temp_dir().join(format!("peerdesk-attachments-bench-{}", std::process::id()));
        std::fs::create_dir_all(&p)?;
        Ok(TempDir(p))
    }
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();

    println!("== 1. processing a 5 MB camera JPEG (EXIF with GPS)");
    let photo = camera_jpeg()?;
    let policy = peerdesk::attachments::Policy::new(&Default::default());
    let mut times = Vec::new();
    for _ in 0..args.images {
        let t = Instant::now();
        let p = peerdesk::attachments::prepare(&policy, &photo, "IMG_1234.JPG")
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(p.thumbnail.is_some(), "no thumbnail");
    }
    times.sort_by(f64::total_cmp);
    println!(
        "   {:.1} MB, 4000 × 3000: median {:.0} ms, p95 {:.0} ms, max {:.0} ms ({} runs)",
        photo.len() as f64 / 1048576.0,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
        times.len()
    );

    println!("== 2. a thread page with 20 pictures against the same without");
    let dir = TempDir::new()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let mut settings = peerdesk::config::Settings::default();
    settings.server.bind = listener.local_addr()?.to_string();
    settings.server.base_url = base.clone();
    settings.server.page_cache = false;
    settings.database.url = format!("sqlite://{}/bench.db", dir.path().display());
    settings.search.dir = dir.path().join("index").display().to_string();
    settings.search.semantic.enabled = false;
    settings.attachments.dir = dir.path().join("files").display().to_string();
    let many = peerdesk::limits::Rate::per_minute(1_000_000);
    settings.limits.per_user = peerdesk::config::PostingRates::all(many);
    settings.moderation.duplicate_minutes = 0;
    let prepared = peerdesk::prepare(settings)?;
    let db = prepared.state.db.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            if let Ok(server) = peerdesk::server(prepared.state, listener) {
                let _ = server.await;
            }
        })
    });
    let token = db.write_blocking(|conn| {
        let mut a = peerdesk::accounts::NewAccount::parse(
            "bench",
            "bench@example.com",
            Some("bench password 123"),
            "Bench Staff",
            "",
        )?;
        a.role = peerdesk::accounts::Role::Staff;
        let u = peerdesk::accounts::create(conn, a)?;
        peerdesk::accounts::create_token(conn, &u, "bench").map(|t| t.0)
    })?;
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let auth = format!("Bearer {token}");
    let api = |method: &str, path: &str, body: Value| -> anyhow::Result<Value> {
        Ok(agent
            .request(method, &format!("{base}{path}"))
            .set("Authorization", &auth)
            .send_json(body)?
            .into_json()?)
    };
    let mut thread_ids = Vec::new();
    let mut thumbs = Vec::new();
    for with in [false, true] {
        let t = api(
            "POST",
            "/api/v1/threads",
            json!({"title": format!("Router reboots every night ({})", if with { "pictures" } else { "text" }),
                   "body": "Since the update the router reboots at 3:00 every night.", "category": "general"}),
        )?;
        let id = t["id"].as_i64().unwrap_or_default();
        for n in 0..20u8 {
            let mut body = format!(
                "Answer {n}: check the **schedule** under *System → Maintenance*; it may be set to reboot nightly. \
                 If it is off, look at the log for `watchdog` entries and post them here."
            );
            if with {
                let a: Value = agent
                    .post(&format!(
                        "{base}/api/v1/attachments?filename=screen-{n}.png"
                    ))
                    .set("Authorization", &auth)
                    .send_bytes(&small_png(n)?)?
                    .into_json()?;
                body.push_str(&format!(
                    "\n\n{}",
                    a["markdown"].as_str().unwrap_or_default()
                ));
                thumbs.push(a["thumbnail_url"].as_str().unwrap_or_default().to_string());
            }
            api(
                "POST",
                &format!("/api/v1/threads/{id}/posts"),
                json!({ "body": body }),
            )?;
        }
        thread_ids.push(id);
    }
    let path_of = |id: i64| -> anyhow::Result<String> {
        // The canonical path (the short one redirects).
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let r = agent.get(&format!("{base}/t/{id}")).call()?;
        Ok(r.header("location").unwrap_or("/").to_string())
    };
    let pages = [path_of(thread_ids[0])?, path_of(thread_ids[1])?];
    let run = |paths: &[String]| -> f64 {
        let done = Arc::new(AtomicU64::new(0));
        let until = Instant::now() + Duration::from_secs(args.seconds);
        std::thread::scope(|s| {
            for c in 0..args.clients {
                let done = done.clone();
                let base = base.clone();
                s.spawn(move || {
                    let agent = ureq::AgentBuilder::new().build();
                    let mut i = c;
                    while Instant::now() < until {
                        let url = format!("{base}{}", paths[i % paths.len()]);
                        if let Ok(r) = agent.get(&url).call() {
                            let _ = r.into_string();
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        i += 1;
                    }
                });
            }
        });
        done.load(Ordering::Relaxed) as f64 / args.seconds as f64
    };
    let (mut without, mut with) = (Vec::new(), Vec::new());
    run(&pages); // warm-up
    for _ in 0..args.rounds {
        without.push(run(&pages[..1]));
        with.push(run(&pages[1..]));
    }
    without.sort_by(f64::total_cmp);
    with.sort_by(f64::total_cmp);
    let (a, b) = (percentile(&without, 0.5), percentile(&with, 0.5));
    println!(
        "   without attachments: {a:.0} requests/s (median of {} rounds)",
        args.rounds
    );
    println!(
        "   with 20 pictures:    {b:.0} requests/s; ratio {:.2}",
        b / a
    );
    let thumbs_rate = run(&thumbs);
    println!(
        "   its 20 thumbnails (each checked against its post's visibility): {thumbs_rate:.0} requests/s"
    );
    Ok(())
}
