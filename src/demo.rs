//! `peerdesk demo-data`: realistic generated content (users, staff, products, tags, threads,
//! answers, comments, votes, accepted answers) through the same rules the app uses, with progress.

use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::accounts::{self, Email, Handle, NewAccount, Role, User};
use crate::catalog::{self, Category, CategoryInput};
use crate::db::Db;
use crate::threads::{self, MarkdownBody, NewQuestion, Title};

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

/// Words weighted roughly like real support text: common words often, rare words rarely (Zipf).
const VOCAB: &[&str] = &[
    "the",
    "to",
    "and",
    "it",
    "my",
    "is",
    "after",
    "when",
    "not",
    "with",
    "on",
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
];

struct Words {
    rng: StdRng,
}

impl Words {
    fn word(&mut self) -> &'static str {
        // Zipf-like: index ~ floor(n^u) favours small indexes.
        let u: f64 = self.rng.gen();
        let idx = ((VOCAB.len() as f64).powf(u) - 1.0) as usize;
        VOCAB[idx.min(VOCAB.len() - 1)]
    }

    fn sentence(&mut self) -> String {
        let len = self.rng.gen_range(6..22);
        let mut s: Vec<&str> = (0..len).map(|_| self.word()).collect();
        let mut first = s[0].to_string();
        first[..1].make_ascii_uppercase();
        s[0] = Box::leak(first.into_boxed_str());
        format!("{}.", s.join(" "))
    }

    fn paragraph(&mut self, sentences: std::ops::Range<usize>) -> String {
        let n = self.rng.gen_range(sentences);
        (0..n)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&mut self) -> String {
        let subjects = [
            "Router",
            "Backup",
            "Camera",
            "App",
            "Mesh node",
            "Invoice",
            "Login",
            "Firmware update",
        ];
        let problems = [
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
        let s = subjects[self.rng.gen_range(0..subjects.len())];
        let p = problems[self.rng.gen_range(0..problems.len())];
        let extra = self.word();
        format!("{s} {p} ({extra})")
    }

    fn body(&mut self) -> String {
        let mut body = self.paragraph(2..6);
        if self.rng.gen_bool(0.3) {
            body.push_str("\n\n```text\nerror: connection timed out after 30s\n```\n");
        }
        if self.rng.gen_bool(0.4) {
            body.push_str(&format!(
                "\n\n- {}\n- {}\n",
                self.sentence(),
                self.sentence()
            ));
        }
        body.push_str("\n\n");
        body.push_str(&self.paragraph(1..4));
        body
    }
}

/// Generates the demo content. Prints where to find a thread with 20 answers.
pub fn generate(db: &Db, args: &DemoArgs) -> anyhow::Result<()> {
    let mut words = Words {
        rng: StdRng::seed_from_u64(args.seed),
    };
    let style =
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .progress_chars("=> ");

    // Categories: one per product.
    let categories: Vec<Category> = db.write_blocking(|conn| {
        let mut out = Vec::new();
        for (name, description) in PRODUCTS {
            let input = CategoryInput::parse(name, None, description, out.len() as i32 + 1)?;
            let existing = catalog::find_category_by_slug(conn, &input.slug);
            out.push(match existing {
                Ok(c) => c,
                Err(_) => catalog::create_category(conn, input)?,
            });
        }
        Ok(out)
    })?;

    // Users: a few staff with real names and titles, then members. Demo accounts have no
    // password (nobody can sign in as them).
    let seed = args.seed;
    let user_count = args.users.max(2);
    let bar = ProgressBar::new((user_count + STAFF.len()) as u64)
        .with_style(style.clone())
        .with_message("users");
    let mut staff: Vec<User> = Vec::new();
    let mut members: Vec<User> = Vec::new();
    for chunk_start in (0..user_count + STAFF.len()).step_by(500) {
        let end = (chunk_start + 500).min(user_count + STAFF.len());
        let created = db.write_blocking(|conn| {
            let mut out = Vec::new();
            for i in chunk_start..end {
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
                let account = NewAccount {
                    email: Email::parse(&format!("{handle}@demo.peerdesk.invalid"))?,
                    handle: Handle::parse(&handle)?,
                    password_hash: None,
                    role,
                    name,
                    title,
                };
                let user = match accounts::find_by_handle(conn, &handle) {
                    Ok(u) => u,
                    Err(_) => accounts::create(conn, account)?,
                };
                out.push(user);
            }
            Ok(out)
        })?;
        for u in created {
            if u.role().is_staff() {
                staff.push(u);
            } else {
                members.push(u);
            }
        }
        bar.set_position(end as u64);
    }
    bar.finish();

    let bar = ProgressBar::new(args.threads as u64)
        .with_style(style)
        .with_message("threads");
    let mut big_thread = None;
    let batch = 200;
    let mut done = 0;
    while done < args.threads {
        let n = batch.min(args.threads - done);
        let mut plans = Vec::with_capacity(n);
        for k in 0..n {
            let i = done + k;
            let answers = if i % 50 == 0 {
                20
            } else {
                words.rng.gen_range(0..=args.answers * 2)
            };
            let asker = members[words.rng.gen_range(0..members.len())].clone();
            let category = categories[words.rng.gen_range(0..categories.len())].clone();
            let tag_count = words.rng.gen_range(1..=3);
            let tags: Vec<String> = (0..tag_count)
                .map(|_| TAGS[words.rng.gen_range(0..TAGS.len())].to_string())
                .collect();
            let title = words.title();
            let body = words.body();
            let mut answer_plans = Vec::new();
            for _ in 0..answers {
                let author = if words.rng.gen_bool(0.25) {
                    staff[words.rng.gen_range(0..staff.len())].clone()
                } else {
                    members[words.rng.gen_range(0..members.len())].clone()
                };
                let votes: Vec<(User, i32)> = (0..words.rng.gen_range(0..4))
                    .map(|_| {
                        (
                            members[words.rng.gen_range(0..members.len())].clone(),
                            if words.rng.gen_bool(0.85) { 1 } else { -1 },
                        )
                    })
                    .collect();
                answer_plans.push((author, words.body(), votes));
            }
            let accept = answers > 0 && words.rng.gen_bool(0.5);
            let comment = words.rng.gen_bool(0.3).then(|| words.sentence());
            plans.push((
                i,
                asker,
                category,
                tags,
                title,
                body,
                answer_plans,
                accept,
                comment,
            ));
        }
        let bigs = db.write_blocking(move |conn| {
            let mut bigs = Vec::new();
            for (i, asker, category, tags, title, body, answer_plans, accept, comment) in plans {
                let q = NewQuestion {
                    title: Title::parse(&title)?,
                    body: MarkdownBody::parse(&body)?,
                    tags: catalog::parse_tags(&tags)?,
                };
                let thread = threads::ask(conn, &asker, &category, q)?;
                let mut first_answer = None;
                for (author, body, votes) in answer_plans {
                    let post =
                        threads::answer(conn, &author, thread.id, MarkdownBody::parse(&body)?)?;
                    for (voter, value) in votes {
                        if voter.id != post.author_id {
                            threads::vote(conn, &voter, post.id, value)?;
                        }
                    }
                    first_answer.get_or_insert(post.id);
                }
                if let (true, Some(post_id)) = (accept, first_answer) {
                    threads::accept(conn, &asker, post_id)?;
                }
                if let (Some(text), Some(post_id)) = (comment, first_answer) {
                    threads::comment(conn, &asker, post_id, threads::CommentBody::parse(&text)?)?;
                }
                if i % 50 == 0 {
                    bigs.push(thread.path());
                }
            }
            Ok(bigs)
        })?;
        if big_thread.is_none() {
            big_thread = bigs.into_iter().next();
        }
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish();
    println!(
        "created {} threads in {} categories with {} users",
        args.threads,
        categories.len(),
        user_count + STAFF.len()
    );
    if let Some(path) = big_thread {
        println!("a thread with 20 answers: {path}");
    }
    Ok(())
}
