//! What a person may do given their standing, and what a post passes before it is published:
//! the privileges of trust levels (`Gate::require`), posting rates (per member and per
//! address), watched words (block, hold or flag; owned here), and the new-account rules (links
//! held below the `links` level, too many links held for anyone). The threads module asks the
//! gate; it knows nothing of the rules.

mod words;

pub use words::{add_word, list_words, remove_word, WatchedWord, WordAction};

use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::accounts::User;
use crate::config::{ModerationSettings, PostingRates, Privileges, Rate, Settings, TrustSettings};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::limits::local::{Local, Window};
use crate::limits::{self, Verdict as RateVerdict};
use crate::msg;

/// The moderation rules of a running site and its posting-rate counters.
pub struct Policy {
    pub settings: ModerationSettings,
    pub trust: TrustSettings,
    per_user: PostingRates,
    per_ip: PostingRates,
    rates: Local,
    words: words::Cache,
}

impl Policy {
    pub fn new(settings: &Settings) -> Policy {
        Policy {
            settings: settings.moderation.clone(),
            trust: settings.trust.clone(),
            per_user: settings.limits.per_user.clone(),
            per_ip: settings.limits.per_ip.clone(),
            rates: Local::default(),
            words: words::Cache::default(),
        }
    }

    /// Forgets the cached watched words (after an admin changed them on this node).
    pub fn words_changed(&self) {
        self.words.clear();
    }

    /// The gate for one request from `ip`.
    pub fn gate(self: &Arc<Self>, ip: impl Into<String>) -> Gate {
        Gate {
            policy: self.clone(),
            ip: ip.into(),
        }
    }
}

/// A posting action with a rate of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Question,
    Answer,
    Comment,
    Vote,
    Flag,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Question => "question",
            Action::Answer => "answer",
            Action::Comment => "comment",
            Action::Vote => "vote",
            Action::Flag => "flag",
        }
    }

    fn rates(self, r: &PostingRates) -> &[Rate] {
        match self {
            Action::Question => &r.questions,
            Action::Answer => &r.answers,
            Action::Comment => &r.comments,
            Action::Vote => &r.votes,
            Action::Flag => &r.flags,
        }
    }
}

/// How far the site trusts a person's posts: below the `links` trust level a member is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    New,
    Member,
    /// Staff, moderators and admins: never held, never rate-limited.
    Team,
}

impl Standing {
    pub fn of(user: &User, policy: &Policy) -> Standing {
        if user.role().can_moderate() {
            Standing::Team
        } else if user.trust_level < policy.trust.privileges.links {
            Standing::New
        } else {
            Standing::Member
        }
    }
}

/// What trust levels unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    VoteUp,
    VoteDown,
    Flag,
    CommentAnywhere,
    EditOthers,
    Retag,
    MoveThreads,
    FlagHide,
    Close,
    Merge,
    Lock,
}

impl Privilege {
    /// The level it needs under these settings.
    pub fn level(self, p: &Privileges) -> i32 {
        match self {
            Privilege::VoteUp => p.vote_up,
            Privilege::VoteDown => p.vote_down,
            Privilege::Flag => p.flag,
            Privilege::CommentAnywhere => p.comment_anywhere,
            Privilege::EditOthers => p.edit_others,
            Privilege::Retag => p.retag,
            Privilege::MoveThreads => p.move_threads,
            Privilege::FlagHide => p.flag_hide,
            Privilege::Close => p.close,
            Privilege::Merge => p.merge,
            Privilege::Lock => p.lock,
        }
    }

    /// Its name in messages (`privilege-name`).
    pub fn name(self) -> &'static str {
        match self {
            Privilege::VoteUp => "vote_up",
            Privilege::VoteDown => "vote_down",
            Privilege::Flag => "flag",
            Privilege::CommentAnywhere => "comment_anywhere",
            Privilege::EditOthers => "edit_others",
            Privilege::Retag => "retag",
            Privilege::MoveThreads => "move_threads",
            Privilege::FlagHide => "flag_hide",
            Privilege::Close => "close",
            Privilege::Merge => "merge",
            Privilege::Lock => "lock",
        }
    }
}

/// Why a post waits for a moderator (shown to its author).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// A new account's post with links.
    NewUserLinks,
    /// More links than `max_links`.
    TooManyLinks,
    /// A watched word set to "hold".
    WatchedWord(String),
}

impl Hold {
    /// Stored as the post's reason: system reasons start with `@` (moderators' reasons are
    /// their own words), see `reason_message`.
    pub fn code(&self) -> String {
        match self {
            Hold::NewUserLinks => "@new-user-links".into(),
            Hold::TooManyLinks => "@too-many-links".into(),
            Hold::WatchedWord(w) => format!("@watched-word:{w}"),
        }
    }
}

/// The reason stored with a held, hidden or deleted post, as its author reads it.
pub fn reason_message(reason: &str) -> crate::i18n::Msg {
    match reason {
        "@new-user-links" => msg!("screen-held-new-user-links"),
        "@too-many-links" => msg!("screen-held-too-many-links"),
        "@flags" => msg!("screen-hidden-by-flags"),
        "@resubmitted" => msg!("screen-resubmitted"),
        r if r.starts_with("@watched-word:") => msg!("screen-held-watched-word"),
        r => crate::i18n::Msg::text(r),
    }
}

/// What happens to a post that passed the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Publish,
    /// Published, with an automatic flag for moderators (a watched word set to "flag").
    Flag(String),
    Hold(Hold),
}

/// One request's view of the policy: the client address counts for the per-address rates.
pub struct Gate {
    pub policy: Arc<Policy>,
    pub ip: String,
}

impl Gate {
    /// `user` has `p`: the team always, others from its trust level on.
    pub fn allows(&self, user: &User, p: Privilege) -> bool {
        user.role().can_moderate() || user.trust_level >= p.level(&self.policy.trust.privileges)
    }

    /// 403 unless `user` has `p`, saying which trust level unlocks it.
    pub fn require(&self, user: &User, p: Privilege) -> AppResult<()> {
        if self.allows(user, p) {
            return Ok(());
        }
        Err(AppError::forbidden(msg!(
            "screen-needs-trust-level",
            privilege = p.name(),
            level = p.level(&self.policy.trust.privileges),
            current = user.trust_level
        )))
    }

    /// Counts one `action` by `user`: a 429 (with the wait) past any of its rates. The team
    /// has no rates.
    pub fn count(&self, user: &User, action: Action) -> AppResult<()> {
        if user.role().can_moderate() {
            return Ok(());
        }
        let uid = user.id.to_string();
        let rule = action.name();
        // Trusted members get more room (their own windows, so a promotion starts afresh).
        let trust = &self.policy.trust;
        let factor = if user.trust_level >= trust.privileges.higher_rates {
            trust.higher_rate_factor.max(1)
        } else {
            1
        };
        let mut windows: Vec<Window<'_>> = Vec::with_capacity(4);
        for rate in action.rates(&self.policy.per_user) {
            windows.push(Window {
                rule,
                key: &uid,
                rate: Rate {
                    count: rate.count.saturating_mul(factor),
                    ..*rate
                },
            });
        }
        let ip_rule = match action {
            Action::Question => "question-ip",
            Action::Answer => "answer-ip",
            Action::Comment => "comment-ip",
            Action::Vote => "vote-ip",
            Action::Flag => "flag-ip",
        };
        for rate in action.rates(&self.policy.per_ip) {
            windows.push(Window {
                rule: ip_rule,
                key: &self.ip,
                rate: *rate,
            });
        }
        match self.policy.rates.hit(&windows) {
            RateVerdict::Allowed => Ok(()),
            RateVerdict::Limited { retry_after_secs } => {
                let message = match action {
                    Action::Question => msg!("screen-too-many-questions"),
                    Action::Answer => msg!("screen-too-many-answers"),
                    Action::Comment => msg!("screen-too-many-comments"),
                    Action::Vote => msg!("screen-too-many-votes"),
                    Action::Flag => msg!("screen-too-many-flags"),
                };
                Err(limits::too_many(message, retry_after_secs))
            }
        }
    }

    /// Screens what `user` wrote (title and body together): a blocked watched word is a 422
    /// naming it; otherwise publish, hold or publish-and-flag.
    pub fn screen(&self, conn: &mut DbConn, standing: Standing, text: &str) -> AppResult<Verdict> {
        if standing == Standing::Team {
            return Ok(Verdict::Publish);
        }
        let found = self.policy.words.matches(conn, text)?;
        if let Some(w) = found.iter().find(|w| w.action == WordAction::Block) {
            return Err(AppError::invalid(msg!(
                "screen-blocked-word",
                word = w.pattern.as_str()
            )));
        }
        if let Some(w) = found.iter().find(|w| w.action == WordAction::Hold) {
            return Ok(Verdict::Hold(Hold::WatchedWord(w.pattern.clone())));
        }
        let links = count_links(text);
        let max = self.policy.settings.max_links;
        if max > 0 && links > max as usize {
            return Ok(Verdict::Hold(Hold::TooManyLinks));
        }
        if standing == Standing::New && links > 0 {
            return Ok(Verdict::Hold(Hold::NewUserLinks));
        }
        if let Some(w) = found.iter().find(|w| w.action == WordAction::Flag) {
            return Ok(Verdict::Flag(w.pattern.clone()));
        }
        Ok(Verdict::Publish)
    }
}

/// Links in markdown or plain text: URLs with a scheme, `www.` hosts and `mailto:`.
pub fn count_links(text: &str) -> usize {
    static LINK: OnceLock<Regex> = OnceLock::new();
    let re = LINK.get_or_init(|| {
        Regex::new(r"(?i)\b(?:https?://|ftp://|www\.|mailto:)").expect("the link pattern is valid")
    });
    re.find_iter(text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_counted_in_every_spelling() {
        assert_eq!(count_links("no links here, just www and http"), 0);
        assert_eq!(
            count_links("see https://a.example/x and [b](http://b.example) or www.c.example"),
            3
        );
        assert_eq!(count_links("<HTTPS://LOUD.EXAMPLE> mailto:x@y.example"), 2);
    }

    #[test]
    fn system_reasons_are_messages_moderator_reasons_are_text() {
        assert_eq!(
            reason_message(&Hold::NewUserLinks.code()).id,
            "screen-held-new-user-links"
        );
        assert_eq!(
            reason_message("@watched-word:casino").id,
            "screen-held-watched-word"
        );
        let own = reason_message("Advertising");
        assert_eq!(own.text.as_deref(), Some("Advertising"));
    }
}
