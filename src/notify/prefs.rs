//! Each user's email preferences: per kind of notification, at once, in the daily or weekly
//! digest, or never; the hour digests go out; and the signed unsubscribe links in every email.

use diesel::prelude::*;
use serde::Serialize;

use super::Kind;
use crate::accounts::User;
use crate::db::schema::{notification_prefs, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::msg;

/// How a kind of notification is emailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Instant,
    Daily,
    Weekly,
    Never,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::Instant,
        Delivery::Daily,
        Delivery::Weekly,
        Delivery::Never,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Instant => "instant",
            Delivery::Daily => "daily",
            Delivery::Weekly => "weekly",
            Delivery::Never => "never",
        }
    }
    pub fn parse(s: &str) -> AppResult<Delivery> {
        Delivery::ALL
            .into_iter()
            .find(|d| d.as_str() == s.trim())
            .ok_or_else(|| AppError::invalid(msg!("notify-unknown-delivery", delivery = s)))
    }
}

impl Kind {
    /// Without a choice: what is about me or my question comes at once (moderators' decisions
    /// on my posts and account too); what I merely watch comes in the daily digest; what
    /// became of my flags, and the badges I earn, stay under the bell.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::WatchedPost | Kind::NewQuestion => Delivery::Daily,
            Kind::FlagOutcome | Kind::Badge => Delivery::Never,
            _ => Delivery::Instant,
        }
    }
}

/// The delivery of every kind for `user_id` (their choice, else the default).
pub fn deliveries(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<(Kind, Delivery)>> {
    let chosen: Vec<(String, String)> = notification_prefs::table
        .filter(notification_prefs::user_id.eq(user_id))
        .select((notification_prefs::kind, notification_prefs::delivery))
        .load(conn)?;
    Ok(Kind::ALL
        .into_iter()
        .map(|k| {
            let d = chosen
                .iter()
                .find(|(kind, _)| kind == k.as_str())
                .and_then(|(_, d)| Delivery::parse(d).ok())
                .unwrap_or_else(|| k.default_delivery());
            (k, d)
        })
        .collect())
}

/// The delivery of one kind for each of `user_ids` (their choice, else the default).
pub fn delivery_of(
    conn: &mut DbConn,
    user_ids: &[i64],
    kind: Kind,
) -> AppResult<std::collections::HashMap<i64, Delivery>> {
    let chosen: Vec<(i64, String)> = notification_prefs::table
        .filter(notification_prefs::user_id.eq_any(user_ids))
        .filter(notification_prefs::kind.eq(kind.as_str()))
        .select((notification_prefs::user_id, notification_prefs::delivery))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Delivery> = user_ids
        .iter()
        .map(|id| (*id, kind.default_delivery()))
        .collect();
    for (id, d) in chosen {
        if let Ok(d) = Delivery::parse(&d) {
            out.insert(id, d);
        }
    }
    Ok(out)
}

/// Sets how one kind is emailed to `user_id`.
pub fn set_delivery(
    conn: &mut DbConn,
    user_id: i64,
    kind: Kind,
    delivery: Delivery,
) -> AppResult<()> {
    diesel::delete(notification_prefs::table.find((user_id, kind.as_str()))).execute(conn)?;
    diesel::insert_into(notification_prefs::table)
        .values((
            notification_prefs::user_id.eq(user_id),
            notification_prefs::kind.eq(kind.as_str()),
            notification_prefs::delivery.eq(delivery.as_str()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The preferences as the page and the API show them.
#[derive(Debug, Clone, Serialize)]
pub struct Preferences {
    pub kinds: Vec<KindPref>,
    /// Hour of the day (0–23, in the user's zone) digests are sent.
    pub digest_hour: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindPref {
    pub kind: Kind,
    pub label: crate::i18n::Msg,
    pub delivery: Delivery,
}

/// `user`'s preferences (staff see the staff-only kinds too).
pub fn preferences(conn: &mut DbConn, user: &User) -> AppResult<Preferences> {
    let staff = user.role().is_staff();
    let kinds = deliveries(conn, user.id)?
        .into_iter()
        .filter(|(k, _)| staff || !k.staff_only())
        .map(|(kind, delivery)| KindPref {
            kind,
            label: kind.label(),
            delivery,
        })
        .collect();
    let digest_hour = users::table
        .find(user.id)
        .select(users::digest_hour)
        .first(conn)?;
    Ok(Preferences { kinds, digest_hour })
}

/// Saves preferences: `(kind, delivery)` pairs (unknown kinds or deliveries are a 400 and
/// nothing is saved) and optionally the digest hour.
pub fn save(
    conn: &mut DbConn,
    user_id: i64,
    choices: &[(String, String)],
    digest_hour: Option<&str>,
) -> AppResult<()> {
    let mut parsed = Vec::with_capacity(choices.len());
    for (kind, delivery) in choices {
        let k = Kind::parse(kind.trim())
            .ok_or_else(|| AppError::invalid(msg!("notify-unknown-kind", kind = kind.as_str())))?;
        parsed.push((k, Delivery::parse(delivery)?));
    }
    let hour = match digest_hour.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => Some(
            h.parse::<i32>()
                .ok()
                .filter(|h| (0..24).contains(h))
                .ok_or_else(|| AppError::invalid(msg!("notify-digest-hour-invalid")))?,
        ),
        None => None,
    };
    for (k, d) in parsed {
        set_delivery(conn, user_id, k, d)?;
    }
    if let Some(h) = hour {
        diesel::update(users::table.find(user_id))
            .set(users::digest_hour.eq(h))
            .execute(conn)?;
    }
    Ok(())
}

/// What an unsubscribe link stops: one kind of notification, or every email but account mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    Kind(Kind),
    /// The daily and weekly digests.
    Digest,
    All,
}

impl Unsubscribe {
    pub fn as_str(self) -> &'static str {
        match self {
            Unsubscribe::Kind(k) => k.as_str(),
            Unsubscribe::Digest => "digest",
            Unsubscribe::All => "all",
        }
    }
    fn parse(s: &str) -> Option<Unsubscribe> {
        if s == "all" {
            Some(Unsubscribe::All)
        } else if s == "digest" {
            Some(Unsubscribe::Digest)
        } else {
            Kind::parse(s).map(Unsubscribe::Kind)
        }
    }
}

/// The signed token of an unsubscribe link: `user.what.signature`, HMAC-SHA256 with the
/// site's secret. It never expires: an old email's link must still work (RFC 8058).
pub fn unsubscribe_token(secret: &[u8], user_id: i64, what: Unsubscribe) -> String {
    let payload = format!("{user_id}.{}", what.as_str());
    format!("{payload}.{}", sign(secret, &payload))
}

fn sign(secret: &[u8], payload: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    // HMAC-SHA256 (RFC 2104) over sha2: the block size is 64 bytes.
    let mut key = [0u8; 64];
    if secret.len() > 64 {
        key[..32].copy_from_slice(&sha2::Sha256::digest(secret));
    } else {
        key[..secret.len()].copy_from_slice(secret);
    }
    let pad = |byte: u8| key.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(b"unsubscribe:")
        .chain_update(payload.as_bytes())
        .finalize();
    let outer = sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(outer)
}

/// Checks an unsubscribe token; a forged or malformed one is a 400.
pub fn check_unsubscribe(secret: &[u8], token: &str) -> AppResult<(i64, Unsubscribe)> {
    let bad = || AppError::BadRequest(msg!("notify-unsubscribe-invalid"));
    let mut parts = token.trim().splitn(3, '.');
    let (Some(user), Some(what), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let user_id: i64 = user.parse().map_err(|_| bad())?;
    let what = Unsubscribe::parse(what).ok_or_else(bad)?;
    let expected = sign(secret, &format!("{user_id}.{}", what.as_str()));
    // Compare without an early exit (no timing hint about the signature).
    let same = expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(bad());
    }
    Ok((user_id, what))
}

/// Applies an unsubscribe: the kind (or every kind) is never emailed again. Returns what was
/// stopped.
pub fn unsubscribe(conn: &mut DbConn, user_id: i64, what: Unsubscribe) -> AppResult<()> {
    let exists = users::table.find(user_id).count().get_result::<i64>(conn)?;
    if exists == 0 {
        return Err(AppError::BadRequest(msg!("notify-unsubscribe-invalid")));
    }
    match what {
        Unsubscribe::Kind(k) => set_delivery(conn, user_id, k, Delivery::Never),
        Unsubscribe::Digest => {
            for (k, d) in deliveries(conn, user_id)? {
                if matches!(d, Delivery::Daily | Delivery::Weekly) {
                    set_delivery(conn, user_id, k, Delivery::Never)?;
                }
            }
            Ok(())
        }
        Unsubscribe::All => {
            for k in Kind::ALL {
                set_delivery(conn, user_id, k, Delivery::Never)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_verify_and_forgeries_fail() {
        let secret = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let t = unsubscribe_token(secret, 42, Unsubscribe::Kind(Kind::Answer));
        assert_eq!(
            check_unsubscribe(secret, &t).unwrap(),
            (42, Unsubscribe::Kind(Kind::Answer))
        );
        let all = unsubscribe_token(secret, 42, Unsubscribe::All);
        assert_eq!(check_unsubscribe(secret, &all).unwrap().1, Unsubscribe::All);
        // Another user, another kind, another secret, or a cut token: refused.
        let forged = t.replacen("42.", "43.", 1);
        assert!(check_unsubscribe(secret, &forged).is_err());
        let other_kind = t.replacen("answer", "comment", 1);
        assert!(check_unsubscribe(secret, &other_kind).is_err());
        assert!(check_unsubscribe(b"another secret", &t).is_err());
        assert!(check_unsubscribe(secret, &t[..t.len() - 2]).is_err());
        assert!(check_unsubscribe(secret, "").is_err());
        assert!(check_unsubscribe(secret, "x.y.z").is_err());
    }
}
