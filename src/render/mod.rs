//! Everything that turns data into HTML: the markdown pipeline and the themes.

pub mod markdown;
pub mod theme;

/// Minutes as people say them: "45 minutes", "4 hours", "1 h 30 min", "2 days".
pub fn human_minutes(minutes: i64) -> String {
    let plural = |n: i64, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let m = minutes.max(0);
    if m == 0 {
        "less than a minute".to_string()
    } else if m < 60 {
        plural(m, "minute")
    } else if m % (24 * 60) == 0 {
        plural(m / (24 * 60), "day")
    } else if m % 60 == 0 && m < 48 * 60 {
        plural(m / 60, "hour")
    } else if m < 48 * 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{} days {} h", m / (24 * 60), (m % (24 * 60)) / 60)
    }
}
