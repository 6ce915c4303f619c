//! The `peerdesk` command: serve, migrate, manage users, categories and tokens, generate demo
//! data, re-render stored markdown. Exit codes: 0 ok, 2 usage error, 1 anything else.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use peerdesk::accounts::{self, NewAccount, Role};
use peerdesk::catalog::{self, CategoryInput};
use peerdesk::config::Settings;
use peerdesk::db::Db;

#[derive(Parser)]
#[command(
    name = "peerdesk",
    version,
    about = "Community Q&A server for product support"
)]
struct Cli {
    /// Settings file (default: ./peerdesk.toml when present). Env PEERDESK_SECTION__KEY overrides.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum BadgesCommand {
    /// Award every badge the existing data already earns (with progress; awards are never
    /// made twice).
    Backfill,
}

#[derive(Subcommand)]
enum ReputationCommand {
    /// Rebuild the reputation ledger from votes, accepted answers, articles, flags and
    /// deleted spam, and every person's total from it (with progress).
    Recalculate,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (runs pending migrations first).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Rebuild the search index from the database into a fresh folder and swap it in; a running
    /// server keeps answering from the old index and switches when the new one is ready.
    Reindex,
    /// Compute the thread vectors behind similar-question suggestions: those missing for the
    /// configured model (after an upgrade or a model change), or with --all every one again.
    /// The server does this by itself in the background; this shows progress.
    Embed {
        /// Recompute every visible thread's vector, not only the missing ones.
        #[arg(long)]
        all: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage categories (the products people ask about).
    #[command(subcommand)]
    Category(CategoryCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fill the database with realistic generated content (for trying things out and benchmarks).
    DemoData(peerdesk::demo::DemoArgs),
    /// Re-render stored markdown made by an older renderer version.
    Rerender,
    /// Outgoing email: send a test message, or show the queue (waiting, sent, given up).
    #[command(subcommand)]
    Email(EmailCommand),
    /// Reputation: rebuild the ledger and every total from the data.
    #[command(subcommand)]
    Reputation(ReputationCommand),
    /// Badges: award what existing data already earns.
    #[command(subcommand)]
    Badges(BadgesCommand),
    /// The domain event log: each consumer's cursor, lag and lease (default), pruning, and
    /// forgetting a retired consumer.
    Events {
        #[command(subcommand)]
        command: Option<EventsCommand>,
    },
}

#[derive(Subcommand)]
enum EmailCommand {
    /// Send a test message now through the `[email]` SMTP settings (not through the queue).
    Test {
        /// The address to send it to.
        #[arg(long)]
        to: String,
    },
    /// Show the email queue: waiting, sent, dropped (read first) and given up, with the latest
    /// failures and their reasons.
    Status,
}

#[derive(Subcommand)]
enum EventsCommand {
    /// Show the log's extent and each consumer's position, lag and lease (the default).
    Status {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Delete events older than `events.keep_days` that every consumer has passed.
    Prune {
        /// Keep this many days instead of the configured `events.keep_days`.
        #[arg(long, value_name = "DAYS")]
        keep_days: Option<u32>,
    },
    /// Forget a consumer that no longer runs (e.g. a retired node's `search@host:/dir`), so
    /// it stops holding back pruning.
    Forget {
        /// The consumer's name as `peerdesk events` shows it.
        consumer: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from stdin (one line) unless --no-password.
    Create(UserCreate),
    /// Change a user's role (ends their sessions and tokens).
    Role {
        #[arg(long)]
        handle: String,
        #[arg(long, value_parser = ["member", "staff", "moderator", "admin"])]
        role: String,
    },
    /// List accounts.
    List,
}

#[derive(Args)]
struct UserCreate {
    #[arg(long)]
    handle: String,
    #[arg(long)]
    email: String,
    #[arg(long, default_value = "member", value_parser = ["member", "staff", "moderator", "admin"])]
    role: String,
    /// Real name (staff answers are signed with it).
    #[arg(long, default_value = "")]
    name: String,
    /// Job title, e.g. "Networking specialist".
    #[arg(long, default_value = "")]
    title: String,
    /// Create an account that signs in only through a provider.
    #[arg(long)]
    no_password: bool,
}

#[derive(Subcommand)]
enum CategoryCommand {
    /// Create a category.
    Create {
        #[arg(long)]
        name: String,
        /// URL slug (default: from the name).
        #[arg(long)]
        slug: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value_t = 0)]
        position: i32,
    },
    /// List categories.
    List,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (only the token) on stdout.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "CLI token")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // html5ever warns about markup it repairs ("foster parenting" of a table's
                // stray text) on every such render: nothing an operator can act on.
                .unwrap_or_else(|_| "info,actix_server=warn,tantivy=warn,html5ever=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peerdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open_db(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database.url, settings.database.pool_size)?;
    db.migrate()?;
    Ok(db)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => {
            let db = Db::connect(&settings.database.url, 1)?;
            let n = db.migrate()?;
            println!("{n} migration(s) applied");
            Ok(())
        }
        Command::Reindex => reindex(&settings),
        Command::Embed { all } => {
            let db = open_db(&settings)?;
            let (n, german) =
                peerdesk::search::embed_with_progress(&db, &settings.search.semantic, all)?;
            println!("embedded {n} threads");
            if let Some(g) = german {
                println!("embedded {g} German threads with the German model");
            }
            Ok(())
        }
        Command::User(cmd) => user(settings, cmd),
        Command::Category(cmd) => category(settings, cmd),
        Command::Token(TokenCommand::Create { user, name }) => {
            let db = open_db(&settings)?;
            let (plain, _) = db.write_blocking(move |conn| {
                let u = accounts::find_by_handle(conn, &user)?;
                accounts::create_token(conn, &u, &name)
            })?;
            println!("{plain}");
            Ok(())
        }
        Command::DemoData(args) => {
            let db = open_db(&settings)?;
            peerdesk::demo::generate(&db, &args, std::path::Path::new(&settings.search.dir))
        }
        Command::Events { command } => events(&settings, command),
        Command::Email(EmailCommand::Test { to }) => {
            peerdesk::mail::send_test(&settings.email, &to)
                .map_err(|e| anyhow::anyhow!("the test email was not sent: {e}"))?;
            println!("sent a test email to {to}");
            Ok(())
        }
        Command::Email(EmailCommand::Status) => {
            let db = open_db(&settings)?;
            let s = db.read_blocking(peerdesk::mail::status)?;
            println!(
                "waiting {}  sent {}  dropped {}  given up {}",
                s.pending, s.sent, s.dropped, s.failed
            );
            for f in s.recent_failures {
                println!(
                    "given up: {} ({}) after {} attempt(s): {}",
                    f.to, f.kind, f.attempts, f.error
                );
            }
            Ok(())
        }
        Command::Reputation(ReputationCommand::Recalculate) => {
            let db = open_db(&settings)?;
            let bar = peerdesk::progress::Progress::new("posts", "posts");
            let (people, rows) =
                peerdesk::peers::ledger::recalculate(&db, &|done, total| bar.set(done, total))?;
            bar.finish();
            println!("reputation of {people} people recalculated from {rows} ledger rows");
            Ok(())
        }
        Command::Badges(BadgesCommand::Backfill) => {
            let db = open_db(&settings)?;
            let bar = peerdesk::progress::Progress::new("people", "people");
            let made = peerdesk::peers::badges::backfill(&db, &|done, total| bar.set(done, total))?;
            bar.finish();
            println!("{made} badge(s) awarded");
            Ok(())
        }
        Command::Rerender => {
            let db = open_db(&settings)?;
            let n = peerdesk::threads::rerender_all(&db)?;
            println!("{n} post(s) and comment(s) re-rendered");
            let mut articles = 0;
            loop {
                let batch = db.write_blocking(|conn| peerdesk::kb::rerender_stale(conn, 500))?;
                if batch == 0 {
                    break;
                }
                articles += batch;
                eprintln!("re-rendered {articles} article(s)");
            }
            println!("{articles} knowledge-base article(s) re-rendered");
            Ok(())
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let bind = settings.server.bind.clone();
    let prepared = peerdesk::prepare(settings)?;
    let listener = std::net::TcpListener::bind(&bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    println!("Peerdesk is running at {}", prepared.state.base_url);
    if let Some(link) = &prepared.setup_link {
        println!("No account exists yet. Open this one-time link to create the first admin:");
        println!("  {link}");
    }
    let server = peerdesk::server(prepared.state, listener)?;
    actix_web::rt::System::new().block_on(server)?;
    Ok(())
}

fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    peerdesk::search::reindex_with_progress(&db, std::path::Path::new(&settings.search.dir))
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let password = input.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        anyhow::bail!("no password on stdin (pipe one in, or pass --no-password)");
    }
    Ok(password)
}

fn user(settings: Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let db = open_db(&settings)?;
    match cmd {
        UserCommand::Create(a) => {
            let role = Role::parse(&a.role)?;
            let password = if a.no_password {
                None
            } else {
                Some(read_password()?)
            };
            let mut account =
                NewAccount::parse(&a.handle, &a.email, password.as_deref(), &a.name, &a.title)?;
            account.role = role;
            let user = db.write_blocking(move |conn| accounts::create(conn, account))?;
            println!(
                "created {} ({}) with role {}",
                user.handle, user.email, user.role
            );
        }
        UserCommand::Role { handle, role } => {
            let role = Role::parse(&role)?;
            let user = db.write_blocking(move |conn| {
                let u = accounts::find_by_handle(conn, &handle)?;
                accounts::set_role(conn, None, u.id, role)
            })?;
            println!("{} is now {}", user.handle, user.role);
        }
        UserCommand::List => {
            use std::io::Write as _;
            let users = db.write_blocking(|conn| accounts::list(conn, i64::MAX))?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = users
                .iter()
                .try_for_each(|u| {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}",
                        u.handle,
                        u.email,
                        u.role,
                        u.display_name()
                    )
                })
                .and_then(|()| out.flush());
            // `peerdesk user list | head`: the reader stopping early is not an error.
            quiet_on_closed_pipe(written)?;
        }
    }
    Ok(())
}

fn category(settings: Settings, cmd: CategoryCommand) -> anyhow::Result<()> {
    let db = open_db(&settings)?;
    match cmd {
        CategoryCommand::Create {
            name,
            slug,
            description,
            position,
        } => {
            let input = CategoryInput::parse(&name, slug.as_deref(), &description, position)?;
            let c = db.write_blocking(move |conn| catalog::create_category(conn, input))?;
            println!("created category {} ({})", c.name, c.slug);
        }
        CategoryCommand::List => {
            for c in db.write_blocking(catalog::list_categories)? {
                println!("{}\t{}\t{}", c.slug, c.name, c.description);
            }
        }
    }
    Ok(())
}

fn events(settings: &Settings, command: Option<EventsCommand>) -> anyhow::Result<()> {
    use peerdesk::events;
    use std::io::Write;
    let db = open_db(settings)?;
    match command.unwrap_or(EventsCommand::Status { json: false }) {
        EventsCommand::Status { json } => {
            let status = db.read_blocking(events::status)?;
            let mut out = std::io::stdout().lock();
            let written = if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&status)?)
            } else {
                write_event_status(&mut out, &status)
            };
            quiet_on_closed_pipe(written)
        }
        EventsCommand::Prune { keep_days } => {
            let keep = events::keep(keep_days.unwrap_or(settings.events.keep_days));
            let n = db.write_blocking(|conn| events::prune(conn, keep))?;
            println!("{n} event(s) pruned");
            Ok(())
        }
        EventsCommand::Forget { consumer } => {
            events::check_name(&consumer)?;
            if db.write_blocking(|conn| events::forget(conn, &consumer))? {
                println!("forgot {consumer}");
                Ok(())
            } else {
                anyhow::bail!("there is no consumer {consumer:?} (see `peerdesk events`)")
            }
        }
    }
}

fn write_event_status(
    out: &mut impl std::io::Write,
    s: &peerdesk::events::Status,
) -> std::io::Result<()> {
    writeln!(
        out,
        "events {}..{} ({} kept, pruned through {})",
        s.oldest_id, s.newest_id, s.count, s.pruned_through
    )?;
    writeln!(
        out,
        "{:<40} {:>10} {:>8}  {:<19}  lease",
        "consumer", "position", "lag", "updated (UTC)"
    )?;
    for c in &s.consumers {
        let lease = match &c.lease {
            Some(l) if l.expires_at > peerdesk::db::now() => {
                format!("{} until {}", l.holder, l.expires_at.format("%H:%M:%S"))
            }
            Some(_) => "free (expired)".to_string(),
            None => "-".to_string(),
        };
        writeln!(
            out,
            "{:<40} {:>10} {:>8}  {:<19}  {lease}",
            c.consumer,
            c.position,
            c.lag,
            c.updated_at.format("%Y-%m-%d %H:%M:%S"),
        )?;
    }
    Ok(())
}

/// A reader that stopped reading (`| head`) is not an error: exit quietly, as Unix tools do.
fn quiet_on_closed_pipe(r: std::io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
