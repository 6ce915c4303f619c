//! `peerdesk demo-data`: realistic generated content — products, tags, users with staff among
//! them, threads with answers, comments, votes and accepted answers — written in bulk (one
//! transaction per batch, markdown rendered on every core) and then indexed for search, with
//! progress. Text follows a Zipf-distributed vocabulary of real support words plus generated
//! rare words, with sentence lengths drawn from a log-normal distribution like real prose.

use std::collections::HashMap;

use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::accounts::{self, Email, Handle, NewAccount, Role, User};
use crate::catalog::{self, Category, CategoryInput};
use crate::db::schema::{
    categories, comments, post_revisions, posts, tags, thread_tags, threads, users, votes,
};
use crate::db::{now, Db, DbConn};
use crate::error::AppResult;
use crate::progress::Progress;
use crate::render::markdown::{self, Rendered, RENDER_VERSION};

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Threads to create.
    #[arg(long, default_value_t = 10_000)]
    pub threads: usize,
    /// Mean answers per thread (every 50th thread gets exactly 20, for benchmarks).
    #[arg(long, default_value_t = 4)]
    pub answers: usize,
    /// Member accounts to create (plus a few staff).
    #[arg(long, default_value_t = 500)]
    pub users: usize,
    /// Random seed: the same seed gives the same content.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Do not rebuild the search index at the end (run `peerdesk reindex` later).
    #[arg(long)]
    pub no_index: bool,
}

const PRODUCTS: [(&str, &str); 6] = [
    ("Router X200", "The X200 home and small office router."),
    ("Cloud Backup", "Automatic backups of computers and phones."),
    ("Mesh WiFi", "Mesh access points and the companion app."),
    ("Smart Camera", "Indoor and outdoor security cameras."),
    ("Billing", "Invoices, plans, refunds and payment methods."),
    ("Mobile App", "The iOS and Android app."),
];

const TAGS: [&str; 16] = [
    "wifi",
    "firmware",
    "login",
    "password-reset",
    "vpn",
    "dns",
    "backup",
    "restore",
    "invoice",
    "refund",
    "android",
    "ios",
    "setup",
    "performance",
    "port-forwarding",
    "notifications",
];

const STAFF: [(&str, &str, &str); 4] = [
    ("amira", "Amira Haddad", "Networking specialist"),
    ("jonas", "Jonas Weber", "Support engineer"),
    ("li", "Li Na", "Billing specialist"),
    ("sam", "Sam Okafor", "Product support lead"),
];

/// The most frequent words, most frequent first; rarer generated words follow them.
const COMMON: &[&str] = &[
    "the",
    "to",
    "and",
    "a",
    "it",
    "i",
    "is",
    "my",
    "of",
    "in",
    "on",
    "not",
    "after",
    "when",
    "with",
    "this",
    "but",
    "for",
    "have",
    "that",
    "update",
    "router",
    "connection",
    "device",
    "settings",
    "error",
    "reset",
    "password",
    "account",
    "firmware",
    "app",
    "backup",
    "restore",
    "wifi",
    "signal",
    "camera",
    "invoice",
    "refund",
    "login",
    "page",
    "screen",
    "version",
    "network",
    "setup",
    "cable",
    "port",
    "restart",
    "phone",
    "laptop",
    "email",
    "code",
    "message",
    "button",
    "light",
    "blinking",
    "slow",
    "drops",
    "every",
    "minutes",
    "hours",
    "again",
    "still",
    "tried",
    "works",
    "fails",
    "cannot",
    "shows",
    "clicked",
    "installed",
    "latest",
    "old",
    "new",
    "support",
    "manual",
    "guide",
    "option",
    "menu",
    "advanced",
    "disabled",
    "enabled",
    "channel",
    "band",
    "mesh",
    "node",
    "storage",
    "plan",
    "payment",
    "card",
    "charged",
    "twice",
    "notification",
    "android",
    "iphone",
    "vpn",
    "dns",
    "server",
    "timeout",
    "certificate",
    "browser",
    "cache",
    "cookies",
    "sync",
    "schedule",
    "upload",
    "download",
    "speed",
    "modem",
    "provider",
    "ethernet",
    "adapter",
    "driver",
    "windows",
    "mac",
    "linux",
    "tablet",
    "printer",
    "bridge",
    "mode",
    "guest",
    "parental",
    "controls",
    "log",
    "logs",
    "warning",
    "folder",
    "file",
    "files",
    "photos",
    "video",
    "recording",
    "motion",
    "alert",
    "battery",
    "power",
    "outage",
    "factory",
    "default",
    "admin",
    "interface",
    "address",
    "dhcp",
    "static",
    "subnet",
    "gateway",
    "firewall",
    "rule",
    "blocked",
    "allowed",
    "subscription",
    "renewal",
    "discount",
    "receipt",
    "tax",
    "currency",
    "billing",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "to", "sa", "ve", "di", "po", "ar", "en", "is", "ul", "or", "an",
    "te", "bri", "ston", "gra", "fel", "mor", "tin", "vex", "qua", "zel", "dor", "pim", "sul",
    "cre",
];

/// Zipf-distributed words over a vocabulary of real and generated words.
struct Vocabulary {
    words: Vec<String>,
    /// Cumulative weights 1/rank.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(size: usize, rng: &mut StdRng) -> Vocabulary {
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < size {
            let n = rng.gen_range(2..=4);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.gen::<f64>() * total;
        let i = self
            .cumulative
            .partition_point(|c| *c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }
}

struct Writer {
    rng: StdRng,
    vocab: Vocabulary,
}

impl Writer {
    /// Sentence length from a log-normal distribution (median ~14 words, like real prose).
    fn sentence_len(&mut self) -> usize {
        let (u1, u2): (f64, f64) = (self.rng.gen_range(1e-9..1.0), self.rng.gen());
        let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        (2.6 + 0.45 * normal).exp().round().clamp(3.0, 45.0) as usize
    }

    fn sentence(&mut self) -> String {
        let len = self.sentence_len();
        let mut s = String::new();
        for i in 0..len {
            let w = self.vocab.word(&mut self.rng).to_string();
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(&w);
            }
        }
        s.push('.');
        s
    }

    fn paragraph(&mut self, sentences: std::ops::RangeInclusive<usize>) -> String {
        let n = self.rng.gen_range(sentences);
        (0..n)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&mut self) -> String {
        const SUBJECTS: [&str; 8] = [
            "Router",
            "Backup",
            "Camera",
            "App",
            "Mesh node",
            "Invoice",
            "Login",
            "Firmware update",
        ];
        const PROBLEMS: [&str; 10] = [
            "keeps dropping the connection",
            "fails after the latest update",
            "shows error 0x80070005",
            "cannot find my devices",
            "charged twice this month",
            "stuck on the setup screen",
            "is very slow in the evening",
            "does not send notifications",
            "asks for the password again",
            "will not restore from backup",
        ];
        let s = SUBJECTS[self.rng.gen_range(0..SUBJECTS.len())];
        let p = PROBLEMS[self.rng.gen_range(0..PROBLEMS.len())];
        let a = self.vocab.word(&mut self.rng).to_string();
        let b = self.vocab.word(&mut self.rng).to_string();
        format!("{s} {p} ({a} {b})")
    }

    fn body(&mut self, sentences: std::ops::RangeInclusive<usize>) -> String {
        let mut body = self.paragraph(sentences);
        if self.rng.gen_bool(0.2) {
            body.push_str("\n\n```text\nerror: connection timed out after 30s\n```\n");
        }
        if self.rng.gen_bool(0.25) {
            let (a, b) = (self.sentence(), self.sentence());
            body.push_str(&format!("\n\n- {a}\n- {b}\n"));
        }
        body
    }
}

/// One answer to write.
struct AnswerPlan {
    author: usize,
    body: String,
    voters: Vec<(usize, i32)>,
}

/// One thread to write.
struct ThreadPlan {
    asker: usize,
    category: usize,
    tags: Vec<usize>,
    title: String,
    body: String,
    answers: Vec<AnswerPlan>,
    accept: Option<usize>,
    comment: Option<String>,
    age_minutes: i64,
}

/// Renders every body of a batch on all cores.
fn render_all(bodies: Vec<&str>) -> Vec<Rendered> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let chunk = bodies.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = bodies
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|b| markdown::render_or_text(b))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Generates the demo content, then rebuilds the search index. Prints where to find a thread
/// with 20 answers.
pub fn generate(db: &Db, args: &DemoArgs, search_dir: &std::path::Path) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let vocab = Vocabulary::new(30_000, &mut rng);
    let mut w = Writer { rng, vocab };

    let categories: Vec<Category> = db.write_blocking(|conn| {
        let mut out = Vec::new();
        for (name, description) in PRODUCTS {
            let input = CategoryInput::parse(name, None, description, out.len() as i32 + 1)?;
            let category = match catalog::find_category_by_slug(conn, &input.slug) {
                Ok(c) => c,
                Err(_) => catalog::create_category(conn, input)?,
            };
            // First-response targets of 4 hours, 8 hours and 1 day in turn.
            if category.first_response_minutes.is_none() {
                let minutes = [240, 480, 1440][out.len() % 3];
                crate::support::set_category_target(conn, category.id, Some(minutes))?;
            }
            out.push(catalog::find_category(conn, category.id)?);
        }
        Ok(out)
    })?;
    let tag_names: Vec<String> = TAGS.iter().map(|t| t.to_string()).collect();
    let tag_ids: Vec<i64> = db.write_blocking(|conn| {
        Ok(catalog::ensure_tags(conn, &tag_names)?
            .into_iter()
            .map(|t| t.id)
            .collect())
    })?;

    // Users: staff with real names and titles, then members. No passwords: nobody signs in as them.
    let seed = args.seed;
    let user_total = args.users.max(2) + STAFF.len();
    let bar = Progress::new("users", "users");
    let mut people: Vec<User> = Vec::with_capacity(user_total);
    for start in (0..user_total).step_by(1000) {
        let end = (start + 1000).min(user_total);
        let created = db.write_blocking(|conn| {
            let mut out = Vec::new();
            for i in start..end {
                let (handle, name, title, role) = match STAFF.get(i) {
                    Some((h, n, t)) => (
                        format!("{h}-{seed}"),
                        n.to_string(),
                        t.to_string(),
                        Role::Staff,
                    ),
                    None => (
                        format!("user{}-{seed}", i - STAFF.len()),
                        String::new(),
                        String::new(),
                        Role::Member,
                    ),
                };
                let user = match accounts::find_by_handle(conn, &handle) {
                    Ok(u) => u,
                    Err(_) => accounts::create(
                        conn,
                        NewAccount {
                            email: Email::parse(&format!("{handle}@demo.peerdesk.invalid"))?,
                            handle: Handle::parse(&handle)?,
                            password_hash: None,
                            role,
                            name,
                            title,
                            email_verified: false,
                        },
                    )?,
                };
                out.push(user);
            }
            Ok(out)
        })?;
        people.extend(created);
        bar.set(end as u64, user_total as u64);
    }
    bar.finish();
    let staff: Vec<usize> = (0..STAFF.len()).collect();
    let members: Vec<usize> = (STAFF.len()..people.len()).collect();

    let bar = Progress::new("threads", "threads");
    let mut reputation: HashMap<usize, i32> = HashMap::new();
    let mut category_counts: HashMap<i64, i32> = HashMap::new();
    let mut tag_counts: HashMap<i64, i32> = HashMap::new();
    let mut big_thread = None;
    let mut posts_written = 0u64;
    let batch = 1000;
    let mut done = 0;
    while done < args.threads {
        let n = batch.min(args.threads - done);
        let plans: Vec<ThreadPlan> = (0..n)
            .map(|k| {
                let i = done + k;
                let answers = if i % 50 == 0 {
                    20
                } else {
                    w.rng.gen_range(0..=args.answers * 2)
                };
                let answer_plans: Vec<AnswerPlan> = (0..answers)
                    .map(|_| {
                        let author = if w.rng.gen_bool(0.25) {
                            staff[w.rng.gen_range(0..staff.len())]
                        } else {
                            members[w.rng.gen_range(0..members.len())]
                        };
                        let mut voters: Vec<(usize, i32)> = Vec::new();
                        for _ in 0..w.rng.gen_range(0..4) {
                            let v = members[w.rng.gen_range(0..members.len())];
                            if v != author && !voters.iter().any(|(x, _)| *x == v) {
                                voters.push((v, if w.rng.gen_bool(0.85) { 1 } else { -1 }));
                            }
                        }
                        AnswerPlan {
                            author,
                            body: w.body(1..=5),
                            voters,
                        }
                    })
                    .collect();
                let accept =
                    (answers > 0 && w.rng.gen_bool(0.5)).then(|| w.rng.gen_range(0..answers));
                let tag_count = w.rng.gen_range(1..=3);
                let mut tags: Vec<usize> = (0..tag_count)
                    .map(|_| w.rng.gen_range(0..tag_ids.len()))
                    .collect();
                tags.sort_unstable();
                tags.dedup();
                ThreadPlan {
                    asker: members[w.rng.gen_range(0..members.len())],
                    category: w.rng.gen_range(0..categories.len()),
                    tags,
                    title: w.title(),
                    body: w.body(2..=6),
                    answers: answer_plans,
                    accept,
                    comment: w.rng.gen_bool(0.3).then(|| w.sentence()),
                    age_minutes: w.rng.gen_range(0..60 * 24 * 365),
                }
            })
            .collect();
        let mut bodies: Vec<&str> = Vec::new();
        for p in &plans {
            bodies.push(&p.body);
            for a in &p.answers {
                bodies.push(&a.body);
            }
        }
        let rendered = render_all(bodies);
        let first = done;
        let written = db.write_blocking(|conn| {
            write_batch(
                conn,
                &plans,
                &rendered,
                first,
                &people,
                &categories,
                &tag_ids,
                &mut reputation,
                &mut category_counts,
                &mut tag_counts,
            )
        })?;
        posts_written += written.0;
        if big_thread.is_none() {
            big_thread = written.1;
        }
        done += n;
        bar.set(done as u64, args.threads as u64);
    }
    bar.finish();
    db.write_blocking(|conn| {
        for (user, rep) in &reputation {
            diesel::update(users::table.find(people[*user].id))
                .set(users::reputation.eq(users::reputation + rep))
                .execute(conn)?;
        }
        for (cat, n) in &category_counts {
            diesel::update(categories::table.find(cat))
                .set(categories::thread_count.eq(categories::thread_count + n))
                .execute(conn)?;
        }
        for (tag, n) in &tag_counts {
            diesel::update(tags::table.find(tag))
                .set(tags::thread_count.eq(tags::thread_count + n))
                .execute(conn)?;
        }
        Ok(())
    })?;
    println!(
        "created {} threads ({} posts) in {} categories with {} users",
        args.threads,
        posts_written,
        categories.len(),
        user_total
    );
    if let Some(path) = big_thread {
        println!("a thread with 20 answers: {path}");
    }
    promote_best(db, &people[..STAFF.len()], args.threads)?;
    // Demo rows skip the outbox (they are written in bulk): rebuild the index from the database.
    if !args.no_index {
        crate::search::reindex_with_progress(db, search_dir)?;
    }
    Ok(())
}

/// Promotes the most voted solved threads (one in a hundred, at most 2,000) into knowledge-base
/// articles, as a staff member would, so the KB and its search have content too.
fn promote_best(db: &Db, staff: &[User], thread_count: usize) -> anyhow::Result<()> {
    let want = (thread_count / 100).min(2000) as i64;
    let Some(editor) = staff.first() else {
        return Ok(());
    };
    if want == 0 {
        return Ok(());
    }
    let ids: Vec<i64> = db.read_blocking(|conn| {
        Ok(threads::table
            .filter(threads::accepted_post_id.is_not_null())
            .order((threads::score.desc(), threads::id.asc()))
            .limit(want)
            .select(threads::id)
            .load(conn)?)
    })?;
    let bar = Progress::new("articles", "articles");
    let mut made = 0;
    for (i, chunk) in ids.chunks(100).enumerate() {
        made += db.write_blocking(|conn| {
            let mut n = 0;
            for id in chunk {
                if crate::kb::article_for_thread(conn, *id)?.is_some() {
                    continue;
                }
                let draft = crate::kb::promotion_draft(conn, *id, None)?;
                // A generated title may be too short once its '?' is gone: skip that one.
                let Ok(input) = crate::kb::ArticleInput::parse(
                    &draft.title,
                    &draft.body,
                    &draft.section,
                    "",
                    "",
                    Some(crate::kb::ArticleStatus::Published),
                    "Promoted by demo-data",
                ) else {
                    continue;
                };
                crate::kb::promote(conn, editor, *id, Some(draft.post_id), &input)?;
                n += 1;
            }
            Ok(n)
        })?;
        bar.set(((i + 1) * 100).min(ids.len()) as u64, ids.len() as u64);
    }
    bar.finish();
    println!("promoted {made} solved threads into knowledge-base articles");
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_batch(
    conn: &mut DbConn,
    plans: &[ThreadPlan],
    rendered: &[Rendered],
    first_index: usize,
    people: &[User],
    categories_list: &[Category],
    tag_ids: &[i64],
    reputation: &mut HashMap<usize, i32>,
    category_counts: &mut HashMap<i64, i32>,
    tag_counts: &mut HashMap<i64, i32>,
) -> AppResult<(u64, Option<String>)> {
    let mut r = rendered.iter();
    let mut posts_written = 0u64;
    let mut big = None;
    let base = now();
    for (k, p) in plans.iter().enumerate() {
        let created = base - chrono::TimeDelta::minutes(p.age_minutes);
        let category = &categories_list[p.category];
        let asker = &people[p.asker];
        let thread_id: i64 = diesel::insert_into(threads::table)
            .values((
                threads::category_id.eq(category.id),
                threads::author_id.eq(asker.id),
                threads::title.eq(&p.title),
                threads::status.eq("open"),
                threads::created_at.eq(created),
                threads::updated_at.eq(created),
                threads::last_activity_at.eq(created),
                threads::respond_by.eq(category.respond_by(created)),
            ))
            .returning(threads::id)
            .get_result(conn)?;
        *category_counts.entry(category.id).or_default() += 1;
        for t in &p.tags {
            diesel::insert_into(thread_tags::table)
                .values((
                    thread_tags::thread_id.eq(thread_id),
                    thread_tags::tag_id.eq(tag_ids[*t]),
                ))
                .execute(conn)?;
            *tag_counts.entry(tag_ids[*t]).or_default() += 1;
        }
        let mut insert_post = |conn: &mut DbConn,
                               author: &User,
                               kind: &str,
                               body: &str,
                               at: chrono::NaiveDateTime|
         -> AppResult<i64> {
            let html = r
                .next()
                .cloned()
                .unwrap_or_else(|| markdown::render_or_text(body));
            let id: i64 = diesel::insert_into(posts::table)
                .values((
                    posts::thread_id.eq(thread_id),
                    posts::author_id.eq(author.id),
                    posts::kind.eq(kind),
                    posts::body_md.eq(body),
                    posts::html_bytes.eq(html.html_bytes()),
                    posts::body_html.eq(html.html),
                    posts::body_text.eq(html.text),
                    posts::render_version.eq(RENDER_VERSION),
                    posts::created_at.eq(at),
                ))
                .returning(posts::id)
                .get_result(conn)?;
            diesel::insert_into(post_revisions::table)
                .values((
                    post_revisions::post_id.eq(id),
                    post_revisions::editor_id.eq(author.id),
                    post_revisions::number.eq(1),
                    post_revisions::title.eq((kind == "question").then_some(p.title.as_str())),
                    post_revisions::body_md.eq(body),
                    post_revisions::created_at.eq(at),
                ))
                .execute(conn)?;
            Ok(id)
        };
        let question_id = insert_post(conn, asker, crate::threads::QUESTION, &p.body, created)?;
        posts_written += 1;
        let mut accepted_id = None;
        let mut staff_answer = false;
        let mut staff_reply = None;
        let mut first_response: Option<(chrono::NaiveDateTime, i64, bool)> = None;
        let mut last = created;
        for (i, a) in p.answers.iter().enumerate() {
            let author = &people[a.author];
            let at = created + chrono::TimeDelta::minutes(5 + 37 * i as i64);
            last = at;
            let id = insert_post(conn, author, crate::threads::ANSWER, &a.body, at)?;
            posts_written += 1;
            staff_answer |= author.role().is_staff();
            if author.role().is_staff() {
                staff_reply = Some(at);
            }
            if first_response.is_none() && a.author != p.asker {
                first_response = Some((at, author.id, author.role().is_staff()));
            }
            let mut score = 0;
            for (voter, value) in &a.voters {
                diesel::insert_into(votes::table)
                    .values((
                        votes::post_id.eq(id),
                        votes::user_id.eq(people[*voter].id),
                        votes::value.eq(value),
                        votes::created_at.eq(at),
                    ))
                    .execute(conn)?;
                score += value;
                *reputation.entry(a.author).or_default() += if *value == 1 { 10 } else { -2 };
            }
            if score != 0 {
                diesel::update(posts::table.find(id))
                    .set(posts::score.eq(score))
                    .execute(conn)?;
            }
            if p.accept == Some(i) {
                accepted_id = Some(id);
                if a.author != p.asker {
                    *reputation.entry(a.author).or_default() += 15;
                }
            }
        }
        if let Some(text) = &p.comment {
            let c = markdown::render_or_text(text);
            diesel::insert_into(comments::table)
                .values((
                    comments::post_id.eq(question_id),
                    comments::author_id.eq(people[p.asker].id),
                    comments::body_md.eq(text),
                    comments::html_bytes.eq(c.html_bytes()),
                    comments::body_html.eq(c.html),
                    comments::body_text.eq(c.text),
                    comments::render_version.eq(RENDER_VERSION),
                    comments::created_at.eq(last),
                ))
                .execute(conn)?;
        }
        let status = match (accepted_id, p.answers.len()) {
            (Some(_), _) => "solved",
            (None, 0) => "open",
            _ => "answered",
        };
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::status.eq(status),
                threads::accepted_post_id.eq(accepted_id),
                threads::answer_count.eq(p.answers.len() as i32),
                threads::has_staff_answer.eq(staff_answer),
                threads::last_activity_at.eq(last),
                threads::first_response_at.eq(first_response.map(|f| f.0)),
                threads::first_response_by.eq(first_response.map(|f| f.1)),
                threads::first_response_staff.eq(first_response.is_some_and(|f| f.2)),
                threads::staff_reply_at.eq(staff_reply),
            ))
            .execute(conn)?;
        if accepted_id.is_some() {
            use crate::threads::{TimelineKind, TimelineRow};
            crate::threads::record_timeline(
                conn,
                TimelineRow {
                    at: last,
                    ..TimelineRow::now(thread_id, TimelineKind::Accepted, asker.id)
                },
            )?;
        }
        if big.is_none() && (first_index + k).is_multiple_of(50) && p.answers.len() == 20 {
            big = Some(crate::threads::thread_path(thread_id, &p.title));
        }
    }
    Ok((posts_written, big))
}
