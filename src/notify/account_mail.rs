//! Account mail: the link that verifies an address (on sign-up and on a change of address)
//! and the password-reset link. Worded when written — the mail carries a one-time link whose
//! token is never stored — and sent by the same durable queue as notifications.

use serde::Serialize;

use super::email::Wording;
use crate::accounts::email_tokens::{self, Purpose};
use crate::accounts::User;
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::msg;

#[derive(Serialize)]
struct LinkMail {
    url: String,
    /// How long the link works, in minutes.
    minutes: i64,
}

fn send(
    conn: &mut DbConn,
    wording: &Wording,
    domain: &str,
    user: &User,
    purpose: Purpose,
) -> AppResult<()> {
    let token = email_tokens::issue(conn, user, purpose)?;
    let (template, path, subject, kind) = match purpose {
        Purpose::Verify => (
            "verify",
            "/verify-email",
            msg!("email-verify-subject", site = &wording.site_name),
            "verify",
        ),
        Purpose::Reset => (
            "reset",
            "/password/reset",
            msg!("email-reset-subject", site = &wording.site_name),
            "reset",
        ),
    };
    let page = LinkMail {
        url: format!("{}{path}/{token}", wording.base_url),
        minutes: purpose.lifetime().num_minutes(),
    };
    let content = wording.render(user, template, &subject, &page, None)?;
    crate::mail::enqueue(
        conn,
        domain,
        crate::mail::NewMail {
            user_id: Some(user.id),
            to: &user.email,
            kind,
            notification_id: None,
            content: Some(content),
            send_after: now(),
        },
    )?;
    Ok(())
}

/// Sends `user` a link that verifies their address (nothing when it is verified already).
pub fn send_verification(
    conn: &mut DbConn,
    wording: &Wording,
    domain: &str,
    user: &User,
) -> AppResult<()> {
    if user.email_verified || user.email.is_empty() {
        return Ok(());
    }
    send(conn, wording, domain, user, Purpose::Verify)
}

/// "Forgot password": emails a reset link when an account has this address, and does nothing
/// otherwise — the caller answers the same, so the form tells no one who has an account.
pub fn request_reset(
    conn: &mut DbConn,
    wording: &Wording,
    domain: &str,
    email: &str,
) -> AppResult<()> {
    match email_tokens::account_for_reset(conn, email)? {
        Some(user) if !user.is_suspended() => send(conn, wording, domain, &user, Purpose::Reset),
        _ => Ok(()),
    }
}
