//! Peer help: the reputation ledger (ledger.rs), trust levels (trust.rs) and badges
//! (badges.rs), kept up to date by the `reputation` consumer of the event log, so a vote or an
//! accept pays nothing for them.

pub mod badges;
pub mod ledger;
pub mod trust;

use crate::config::TrustSettings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::events::{Consumer, Event, Kind};

/// Keeps the ledger, reputation totals and trust levels in step with what happens.
pub struct Reputation {
    pub trust: TrustSettings,
}

impl Consumer for Reputation {
    fn name(&self) -> String {
        "reputation".into()
    }
    fn cluster_wide(&self) -> bool {
        true
    }
    fn apply(&mut self, conn: &mut DbConn, e: &Event) -> AppResult<()> {
        let mut people: Vec<i64> = Vec::new();
        let post_target = e.field("target").as_str() != Some("comment");
        match e.kind() {
            Some(
                Kind::PostVoted
                | Kind::PostRecommended
                | Kind::PostHidden
                | Kind::PostDeleted
                | Kind::PostRestored
                | Kind::PostApproved
                | Kind::ArticleCreated
                | Kind::ArticleUpdated
                | Kind::ArticleStatusChanged
                | Kind::ArticlePublished,
            ) if post_target => {
                if let Some(p) = e.post_id {
                    people.extend(ledger::rebuild_post(conn, p)?);
                    // The post's author, whose standing moderation may change.
                    people.extend(crate::threads::find_post(conn, p).ok().map(|p| p.author_id));
                }
            }
            Some(Kind::AnswerAccepted) => {
                for p in e.post_id.into_iter().chain(e.field("previous").as_i64()) {
                    people.extend(ledger::rebuild_post(conn, p)?);
                }
            }
            Some(Kind::FlagResolved) => {
                if let Some(f) = e.subject_id {
                    people.extend(ledger::record_flag(conn, f)?);
                }
            }
            // What counts toward trust levels and badges without changing reputation.
            Some(
                Kind::AnswerPosted
                | Kind::QuestionAsked
                | Kind::CommentPosted
                | Kind::PostEdited
                | Kind::FollowupPosted,
            ) => people.extend(e.actor_id),
            Some(Kind::TrustLevelChanged) => people.extend(e.subject_id),
            _ => return Ok(()),
        }
        // A voter earns badges for voting too.
        if e.kind() == Some(Kind::PostVoted) {
            people.extend(e.actor_id);
        }
        people.sort_unstable();
        people.dedup();
        for u in people {
            ledger::refresh(conn, u)?;
            trust::evaluate(conn, &self.trust, u)?;
            if self.trust.badges {
                badges::check(conn, u)?;
            }
        }
        Ok(())
    }
}
