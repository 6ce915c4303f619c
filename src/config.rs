//! Settings: defaults in code, then `peerdesk.toml` (or `--config FILE`), then `PEERDESK_*` env
//! variables where `__` nests (`PEERDESK_SERVER__BIND=0.0.0.0:80`).

use std::path::Path;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Every setting Peerdesk reads. `peerdesk.example.toml` documents each one (a test keeps it in sync).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub search: SearchSettings,
    pub events: EventSettings,
    pub limits: LimitSettings,
    pub theme: ThemeSettings,
    pub i18n: I18nSettings,
    pub auth: AuthSettings,
    pub email: EmailSettings,
    pub moderation: ModerationSettings,
    pub trust: TrustSettings,
    pub insights: InsightsSettings,
    pub attachments: AttachmentSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address and port to listen on.
    pub bind: String,
    /// Public URL used in links, the setup link and canonical URLs. Empty: `http://<bind>`.
    pub base_url: String,
    /// Key for the encrypted session cookie (at least 64 bytes, base64). Empty: generated once and
    /// kept in the database, so every node of a cluster shares it.
    pub secret_key: String,
    /// HTTP worker threads. 0: one per CPU core.
    pub workers: usize,
    /// Cache rendered anonymous pages in memory. Any write through this node clears it; turn it
    /// off when several nodes share one database.
    pub page_cache: bool,
    /// Behind a reverse proxy: the header carrying the client's address (e.g.
    /// `X-Forwarded-For`, whose last address, the one your proxy added, is used). Empty: the
    /// address of the TCP connection. Rate limits and anonymous feedback count per address.
    pub client_ip_header: String,
    /// The rules of `/robots.txt` (empty: keep the pages only members use out, list the rest).
    /// A `Sitemap:` line pointing at `/sitemap.xml` is always added.
    pub robots_txt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.db` (or a plain path), or `postgres://user:pass@host/db`.
    pub url: String,
    /// Connections in the pool. 0: chosen for the backend (SQLite 8, PostgreSQL 16).
    pub pool_size: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// Folder of the on-disk search index; always rebuildable with `peerdesk reindex`.
    pub dir: String,
    /// Suggestions by meaning (sentence embeddings); see docs/semantic.md.
    pub semantic: SemanticSettings,
}

/// `[search.semantic]`: the sentence-embedding model behind similar-question suggestions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SemanticSettings {
    /// Off: lexical search only, even with a model in place.
    pub enabled: bool,
    /// The model's folder (config.json, tokenizer.json, model.safetensors). Without one there
    /// the server runs lexical-only and says so (log, `/readyz`, admin page).
    pub model_dir: String,
    /// Threads embedded per batch by the background embedder and `peerdesk embed`.
    pub batch: usize,
    /// The fused score of a suggestion is `dense_weight × cosine + lexical_weight × BM25 /
    /// best BM25` (docs/semantic.md). For drafts in German the model (English-only by
    /// default) counts `german_dense_weight` instead.
    pub dense_weight: f32,
    pub lexical_weight: f32,
    pub german_dense_weight: f32,
    /// A second, multilingual model for German: German threads get a vector of it too, and
    /// drafts in German are compared with those instead of the main model's (which is
    /// English-only by default). Used when the folder holds a model, skipped silently when it
    /// does not (`scripts/fetch-model --multilingual` installs it); empty turns it off.
    pub german_model_dir: String,
    /// The German model's cosine weight for drafts in German (instead of
    /// `german_dense_weight`, which then only applies while its vectors load).
    pub german_model_weight: f32,
    /// Cosine from which another thread is shown to moderators as a possible duplicate of the
    /// one they read (the model's scale: all-MiniLM-L6-v2 gives 0.8 to rewordings of one
    /// question).
    pub duplicate_similarity: f32,
    /// The main search reorders its first 30 results by `BM25 / best BM25 +
    /// search_dense_weight × cosine` (0: words only).
    pub search_dense_weight: f32,
}

/// Outgoing email (notifications, digests, address verification, password reset).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// SMTP server. Empty: no email is sent (notifications stay in the app; password reset and
    /// address verification are not offered).
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (upgrade a plain connection, port 587), `tls` (TLS from the start, port 465)
    /// or `none` (plain, for a relay on the same machine).
    pub security: String,
    /// SMTP user and password; empty: no authentication.
    pub username: String,
    pub password: String,
    /// The sender, e.g. `Acme Support <support@example.com>`.
    pub from: String,
    /// Seconds an email about a notification waits before it is sent; it is dropped if the
    /// notification was read meanwhile (the user saw it in the app).
    pub delay_seconds: u64,
    /// Hours a failing email is retried (with growing pauses) before it is given up.
    pub give_up_hours: u32,
}

impl EmailSettings {
    pub fn enabled(&self) -> bool {
        !self.smtp_host.trim().is_empty()
    }
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            smtp_host: String::new(),
            smtp_port: 587,
            security: "starttls".into(),
            username: String::new(),
            password: String::new(),
            from: "Peerdesk <peerdesk@localhost>".into(),
            delay_seconds: 300,
            give_up_hours: 24,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EventSettings {
    /// Days the event log keeps an event at least; it is pruned later, and only once every
    /// consumer (each node's search index too) has passed it.
    pub keep_days: u32,
}

/// A rate as people write it in the config: `5/minute`, `20/hour`, `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate {
    /// Events allowed per period (0: no limit).
    pub count: u32,
    pub period_secs: u32,
}

impl Rate {
    pub const OFF: Rate = Rate {
        count: 0,
        period_secs: 60,
    };

    pub fn per_minute(count: u32) -> Rate {
        Rate {
            count,
            period_secs: 60,
        }
    }

    pub fn per_hour(count: u32) -> Rate {
        Rate {
            count,
            period_secs: 3600,
        }
    }

    pub fn per_day(count: u32) -> Rate {
        Rate {
            count,
            period_secs: 86_400,
        }
    }

    pub fn is_off(&self) -> bool {
        self.count == 0
    }

    pub fn period(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::seconds(i64::from(self.period_secs))
    }

    /// Time between events at the steady rate.
    pub fn interval(&self) -> chrono::TimeDelta {
        self.period() / self.count.max(1) as i32
    }
}

impl TryFrom<String> for Rate {
    type Error = String;
    fn try_from(s: String) -> Result<Rate, String> {
        let t = s.trim().to_ascii_lowercase();
        if t == "off" || t.is_empty() {
            return Ok(Rate::OFF);
        }
        let bad = || format!("rate {s:?}: write it like 5/minute, 20/hour or off");
        let (n, unit) = t.split_once('/').ok_or_else(bad)?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        let period_secs = match unit.trim() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            "d" | "day" => 86_400,
            _ => return Err(bad()),
        };
        if count > 1_000_000 {
            return Err(bad());
        }
        Ok(Rate { count, period_secs })
    }
}

impl From<Rate> for String {
    fn from(r: Rate) -> String {
        r.to_string()
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_off() {
            return f.write_str("off");
        }
        let unit = match self.period_secs {
            1 => "second",
            60 => "minute",
            3600 => "hour",
            _ => "day",
        };
        write!(f, "{}/{unit}", self.count)
    }
}

/// Rate limits, shared by every node on the database. Rates read `5/minute`, `20/hour`,
/// `100/day` or `off`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Failed sign-ins per account; past it, even the right password waits (429).
    pub sign_in_failures_per_account: Rate,
    /// Failed sign-ins per client address, whatever the account.
    pub sign_in_failures_per_ip: Rate,
    /// New accounts per client address.
    pub sign_ups_per_ip: Rate,
    /// API requests with an unknown or revoked token, per client address.
    pub api_token_failures_per_ip: Rate,
    /// "Was this helpful?" answers per client address.
    pub article_feedback_per_ip: Rate,
    /// "Forgot password" and "send the verification link again" emails per client address.
    pub account_emails_per_ip: Rate,
    /// Posting rates per member (staff, moderators and admins have none): each action may list
    /// several windows, e.g. `questions = ["5/minute", "50/day"]`.
    pub per_user: PostingRates,
    /// Posting rates per client address, whoever is signed in.
    pub per_ip: PostingRates,
}

/// How often one member (or one address) may do each posting action. Counted in each node's
/// memory (see `limits::local`), so a check costs well under a microsecond.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PostingRates {
    pub questions: Vec<Rate>,
    pub answers: Vec<Rate>,
    pub comments: Vec<Rate>,
    pub votes: Vec<Rate>,
    pub flags: Vec<Rate>,
}

impl PostingRates {
    /// Every action at `rate` (tests and benchmarks).
    pub fn all(rate: Rate) -> PostingRates {
        PostingRates {
            questions: vec![rate],
            answers: vec![rate],
            comments: vec![rate],
            votes: vec![rate],
            flags: vec![rate],
        }
    }
}

impl Default for PostingRates {
    /// Per member: more than a person could write, far less than a script.
    fn default() -> Self {
        PostingRates {
            questions: vec![Rate::per_minute(5), Rate::per_day(50)],
            answers: vec![Rate::per_minute(10), Rate::per_day(200)],
            comments: vec![Rate::per_minute(20), Rate::per_day(500)],
            votes: vec![Rate::per_minute(60), Rate::per_day(1000)],
            flags: vec![Rate::per_minute(10), Rate::per_day(100)],
        }
    }
}

/// Trust levels: what earns each and what each unlocks (docs/peers.md). Level 4 is only ever
/// set by staff; levels 1 and 2 are kept once earned, level 3 is lost when its requirements
/// stop being met.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TrustSettings {
    pub level1: TrustRequirements,
    pub level2: TrustRequirements,
    pub level3: TrustRequirements,
    /// Level 3 counts visits and answers of this many recent days only, and is out of reach
    /// while moderation against the person (a post hidden or deleted by a moderator, a
    /// silence) is this recent.
    pub level3_window_days: u32,
    /// The level each privilege needs (staff, moderators and admins have them all).
    pub privileges: Privileges,
    /// From the `higher_rates` level on, posting rates are this many times the configured ones.
    pub higher_rate_factor: u32,
    /// Award badges (and tell people when they earn one).
    pub badges: bool,
}

/// What a trust level needs (all of it).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct TrustRequirements {
    /// Days with a visit while signed in.
    pub days_visited: u32,
    /// Threads opened while signed in.
    pub threads_read: u32,
    /// Published answers.
    pub answers: u32,
    /// Their answers accepted (on others' questions).
    pub accepted: u32,
    /// Their flags a moderator agreed with.
    pub flags_agreed: u32,
}

/// The trust level each privilege needs.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Privileges {
    pub vote_up: i32,
    pub flag: i32,
    /// Posting links without waiting for approval.
    pub links: i32,
    pub vote_down: i32,
    /// Commenting on any post (below it: only on their own posts and in their own threads).
    pub comment_anywhere: i32,
    pub higher_rates: i32,
    /// Editing others' posts (kept as revisions).
    pub edit_others: i32,
    /// Changing the tags of others' questions.
    pub retag: i32,
    pub move_threads: i32,
    /// Their spam and abuse flags hide a post at once.
    pub flag_hide: i32,
    pub close: i32,
    pub merge: i32,
    pub lock: i32,
}

impl Default for Privileges {
    fn default() -> Self {
        Privileges {
            vote_up: 1,
            flag: 1,
            links: 1,
            vote_down: 2,
            comment_anywhere: 2,
            higher_rates: 2,
            edit_others: 3,
            retag: 3,
            move_threads: 3,
            flag_hide: 3,
            close: 4,
            merge: 4,
            lock: 4,
        }
    }
}

impl Privileges {
    /// What members below level 3 may do, from level 0 (tests and scripted set-ups): voting,
    /// flagging, links, comments and the higher rates; editing others' posts and curating
    /// threads keep their levels.
    pub fn everyday_from_level_0() -> Privileges {
        Privileges {
            vote_up: 0,
            flag: 0,
            links: 0,
            vote_down: 0,
            comment_anywhere: 0,
            higher_rates: 0,
            ..Privileges::default()
        }
    }
}

impl Default for TrustSettings {
    fn default() -> Self {
        TrustSettings {
            level1: TrustRequirements {
                days_visited: 1,
                threads_read: 3,
                ..TrustRequirements::default()
            },
            level2: TrustRequirements {
                days_visited: 5,
                threads_read: 15,
                answers: 2,
                ..TrustRequirements::default()
            },
            level3: TrustRequirements {
                days_visited: 20,
                threads_read: 50,
                answers: 10,
                accepted: 3,
                flags_agreed: 0,
            },
            level3_window_days: 100,
            privileges: Privileges::default(),
            higher_rate_factor: 3,
            badges: true,
        }
    }
}

/// Moderation rules (docs/moderation.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationSettings {
    /// Spam or abuse flags (weighted by the flaggers' standing) that hide a post at once,
    /// pending review. 0: flags never hide by themselves.
    pub hide_after_flags: u32,
    /// Posts with more links than this are held for approval, whoever wrote them (staff
    /// excepted). 0: no limit.
    pub max_links: u32,
    /// The same text posted again by the same person within this many minutes is refused.
    pub duplicate_minutes: u32,
    /// The sign-up form is refused when sent back faster than this (a person reads and types
    /// first; a script does not). 0: no minimum.
    pub sign_up_min_seconds: u32,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        Self {
            hide_after_flags: 2,
            max_links: 10,
            duplicate_minutes: 10,
            sign_up_min_seconds: 2,
        }
    }
}

/// `[insights]`: the self-service dashboard and its content gaps (docs/insights.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct InsightsSettings {
    /// A search whose best result matched less well than this (the fused score of a suggestion
    /// by meaning, about 0..1) and that nobody clicked counts as a content gap, like one that
    /// found nothing.
    pub weak_score: f64,
}

impl Default for InsightsSettings {
    fn default() -> Self {
        Self { weak_score: 0.45 }
    }
}

/// Files attached to questions, answers and comments (docs/attachments.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Folder the files are kept in, by content hash (created when missing).
    pub dir: String,
    /// Largest file, in megabytes.
    pub max_file_mb: u32,
    /// Largest image, in megapixels (width × height); guards against decompression bombs.
    pub max_megapixels: u32,
    /// What one member may upload in 24 hours: megabytes and files. Staff, moderators and
    /// admins have no daily limit.
    pub daily_mb_per_user: u32,
    pub daily_files_per_user: u32,
    /// Hours an upload that was never posted is kept before it is removed.
    pub orphan_hours: u32,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        Self {
            dir: "data/attachments".into(),
            max_file_mb: 10,
            max_megapixels: 50,
            daily_mb_per_user: 100,
            daily_files_per_user: 50,
            orphan_hours: 24,
        }
    }
}

impl AttachmentSettings {
    pub fn max_file_bytes(&self) -> usize {
        (self.max_file_mb as usize).saturating_mul(1 << 20)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeSettings {
    /// Theme folder name under `dir`; templates and static files missing from it come from `default`.
    pub name: String,
    /// Folder holding the themes.
    pub dir: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct I18nSettings {
    /// The interface language for visitors whose browser asks for none we have (a folder
    /// under the theme's `locales/`).
    pub default_language: String,
    /// The site's time zone (IANA name) for visitors whose browser has not told theirs yet.
    pub time_zone: String,
    /// Offer the pseudo-locale `en-XA` (every message wrapped in ⟦ ⟧) to find untranslated text.
    pub pseudo_locale: bool,
}

impl Default for I18nSettings {
    fn default() -> Self {
        Self {
            default_language: "en".into(),
            time_zone: "UTC".into(),
            pseudo_locale: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// Sign-in with a local password (and sign-up). Off: provider sign-in only.
    pub local_accounts: bool,
    /// Seconds a provider has to answer (discovery, token exchange, keys, user API).
    pub timeout_secs: u64,
    /// Sign-in providers, one button each (docs/sign-in.md).
    pub providers: Vec<ProviderSettings>,
    /// Roles given from what a provider says (raised at every sign-in, never lowered).
    pub role_rules: Vec<RoleRule>,
    /// Days a signed-in session may go unused before it ends (each visit starts the count
    /// again).
    pub session_idle_days: u32,
}

impl AuthSettings {
    /// Refuses settings that would be unsafe or could never work, with a message naming them.
    pub fn validate(&self) -> anyhow::Result<()> {
        let mut ids = std::collections::HashSet::new();
        for p in &self.providers {
            let ok_id = !p.id.is_empty()
                && p.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok_id || !ids.insert(p.id.as_str()) {
                anyhow::bail!(
                    "auth.providers: id {:?} must be unique and use a-z, 0-9 and -",
                    p.id
                );
            }
            if p.client_id.is_empty() || p.name.is_empty() {
                anyhow::bail!("auth.providers {:?}: name and client_id are required", p.id);
            }
            if p.kind == ProviderKind::Oidc && p.issuer.is_empty() {
                anyhow::bail!("auth.providers {:?}: an oidc provider needs issuer", p.id);
            }
            // Another GitHub (Enterprise) must not share github.com's user ids.
            let overridden = !p.auth_url.is_empty() || !p.token_url.is_empty();
            if p.kind == ProviderKind::Github && overridden && p.issuer.is_empty() {
                anyhow::bail!(
                    "auth.providers {:?}: set issuer (e.g. https://github.example.com) when \
                     overriding GitHub's endpoints",
                    p.id
                );
            }
        }
        for r in &self.role_rules {
            if !["member", "staff", "moderator", "admin"].contains(&r.role.as_str()) {
                anyhow::bail!("auth.role_rules: unknown role {:?}", r.role);
            }
            if r.email_domain.is_empty() && r.group.is_empty() {
                anyhow::bail!("auth.role_rules: a rule needs email_domain or group");
            }
            // Group names are the provider's to define: only trust the one named.
            if !r.group.is_empty() && r.provider.is_empty() {
                anyhow::bail!(
                    "auth.role_rules: the group rule {:?} must name its provider",
                    r.group
                );
            }
            if !r.provider.is_empty() && !ids.contains(r.provider.as_str()) {
                anyhow::bail!("auth.role_rules: no provider {:?}", r.provider);
            }
        }
        Ok(())
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            local_accounts: true,
            timeout_secs: 10,
            providers: Vec::new(),
            role_rules: Vec::new(),
            session_idle_days: 21,
        }
    }
}

/// Which kind of provider: presets know their endpoints; `oidc` discovers them from `issuer`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Github,
    Gitlab,
    Google,
    #[default]
    Oidc,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderSettings {
    /// In URLs: `/auth/{id}/start`, callback `/auth/{id}/callback`.
    pub id: String,
    pub kind: ProviderKind,
    /// On the button: "Sign in with {name}".
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    /// OpenID Connect issuer (discovery at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    /// Endpoint overrides (empty: the preset's or the discovered one).
    pub auth_url: String,
    pub token_url: String,
    pub userinfo_url: String,
    pub emails_url: String,
    /// Empty: the preset's scopes (`openid email profile` for OpenID Connect).
    pub scopes: Vec<String>,
}

/// "Everyone with a verified email at example.com is staff", "the group `support-leads` are
/// moderators". A rule matches when every condition it sets holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RoleRule {
    /// Only for this provider id (empty: any provider).
    pub provider: String,
    /// The verified email's domain, e.g. `example.com`.
    pub email_domain: String,
    /// A value of the OpenID Connect `groups` claim.
    pub group: String,
    /// member, staff, moderator or admin.
    pub role: String,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            base_url: String::new(),
            secret_key: String::new(),
            workers: 0,
            page_cache: true,
            client_ip_header: String::new(),
            robots_txt: String::new(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://data/peerdesk.db".into(),
            pool_size: 0,
        }
    }
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            dir: "search-index".into(),
            semantic: SemanticSettings::default(),
        }
    }
}

impl Default for SemanticSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            model_dir: "models/all-MiniLM-L6-v2".into(),
            batch: 16,
            dense_weight: 1.0,
            lexical_weight: 0.12,
            german_dense_weight: 0.2,
            german_model_dir: "models/multilingual-e5-small".into(),
            german_model_weight: 4.0,
            duplicate_similarity: 0.8,
            search_dense_weight: 0.5,
        }
    }
}

impl Default for EventSettings {
    fn default() -> Self {
        Self { keep_days: 7 }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            sign_in_failures_per_account: Rate::per_minute(5),
            sign_in_failures_per_ip: Rate::per_minute(10),
            sign_ups_per_ip: Rate::per_hour(10),
            api_token_failures_per_ip: Rate::per_minute(10),
            article_feedback_per_ip: Rate::per_hour(30),
            account_emails_per_ip: Rate::per_hour(5),
            per_user: PostingRates::default(),
            per_ip: PostingRates {
                questions: vec![Rate::per_minute(20), Rate::per_day(500)],
                answers: vec![Rate::per_minute(40), Rate::per_day(2000)],
                comments: vec![Rate::per_minute(60), Rate::per_day(5000)],
                votes: vec![Rate::per_minute(200), Rate::per_day(10_000)],
                flags: vec![Rate::per_minute(30), Rate::per_day(500)],
            },
        }
    }
}

impl Default for ThemeSettings {
    fn default() -> Self {
        Self {
            name: "default".into(),
            dir: "themes".into(),
        }
    }
}

/// Sections that env variables may set; other `PEERDESK_*` variables (for example the test
/// harness's) are not settings.
const SECTIONS: [&str; 13] = [
    "attachments",
    "server",
    "database",
    "search",
    "events",
    "limits",
    "theme",
    "i18n",
    "auth",
    "email",
    "moderation",
    "trust",
    "insights",
];

impl Settings {
    /// Loads settings. With `file` the file must exist; without, `peerdesk.toml` is read when present.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    anyhow::bail!("config file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("peerdesk.toml")),
        }
        let env = Env::prefixed("PEERDESK_").split("__").filter(|key| {
            // The key may be seen before or after `__` becomes `.`, depending on figment's order.
            let key = key.as_str().to_ascii_lowercase();
            SECTIONS.iter().any(|s| {
                key.strip_prefix(s)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with("__"))
            })
        });
        let settings: Settings = figment.merge(env).extract()?;
        Ok(settings)
    }

    /// The public base URL without a trailing slash.
    pub fn base_url(&self) -> String {
        if self.server.base_url.is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server.base_url.trim_end_matches('/').to_string()
        }
    }

    /// True when the public URL is https (secure, `__Host-` prefixed session cookie).
    pub fn is_https(&self) -> bool {
        self.base_url().starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_section_can_be_set_from_the_environment() {
        let value = serde_json::to_value(Settings::default()).unwrap();
        let sections: Vec<&String> = value.as_object().unwrap().keys().collect();
        for s in sections {
            assert!(
                SECTIONS.contains(&s.as_str()),
                "PEERDESK_{}__* would be ignored: add \"{s}\" to SECTIONS",
                s.to_uppercase()
            );
        }
    }

    #[test]
    fn rates_parse_and_print() {
        let r = Rate::try_from("5/minute".to_string()).unwrap();
        assert_eq!(r, Rate::per_minute(5));
        assert_eq!(r.to_string(), "5/minute");
        assert_eq!(
            Rate::try_from("20/h".to_string()).unwrap(),
            Rate::per_hour(20)
        );
        assert!(Rate::try_from("off".to_string()).unwrap().is_off());
        for bad in ["5", "x/minute", "5/fortnight", "-1/minute"] {
            assert!(Rate::try_from(bad.to_string()).is_err(), "{bad}");
        }
        assert_eq!(
            Rate::per_minute(5).interval(),
            chrono::TimeDelta::seconds(12)
        );
    }

    use super::*;

    fn provider(id: &str, kind: ProviderKind) -> ProviderSettings {
        ProviderSettings {
            id: id.into(),
            kind,
            name: "X".into(),
            client_id: "c".into(),
            issuer: "https://login.example.com".into(),
            ..Default::default()
        }
    }

    #[test]
    fn unsafe_or_impossible_sign_in_settings_are_refused() {
        let ok = AuthSettings {
            providers: vec![provider("corp", ProviderKind::Oidc)],
            role_rules: vec![RoleRule {
                provider: "corp".into(),
                group: "leads".into(),
                role: "moderator".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let refused = |f: &dyn Fn(&mut AuthSettings)| {
            let mut s = ok.clone();
            f(&mut s);
            s.validate().is_err()
        };
        assert!(
            refused(&|s| s.role_rules[0].provider.clear()),
            "group rules name their provider"
        );
        assert!(refused(&|s| s.role_rules[0].role = "root".into()));
        assert!(
            refused(&|s| s.role_rules[0].group.clear()),
            "a rule needs a condition"
        );
        assert!(refused(&|s| s
            .providers
            .push(provider("corp", ProviderKind::Oidc))));
        assert!(refused(&|s| s.providers[0].id = "Bad Id".into()));
        assert!(refused(&|s| s.providers[0].issuer.clear()));
        assert!(refused(&|s| {
            let mut gh = provider("ghe", ProviderKind::Github);
            gh.issuer.clear();
            gh.auth_url = "https://github.example.com/login/oauth/authorize".into();
            s.providers.push(gh);
        }));
    }
}
