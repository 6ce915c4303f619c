//! Differences between two article revisions: the changed fields and a line diff of the text
//! with a few lines of context around each change.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::ArticleRevision;

/// Unchanged lines kept around each change.
const CONTEXT: usize = 3;

/// One line of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct DiffLine {
    /// `equal`, `insert`, `delete`, or `gap` (unchanged lines left out).
    pub tag: &'static str,
    pub text: String,
    /// Line numbers in the older and newer text (0 when the line is not in that side).
    pub old_line: usize,
    pub new_line: usize,
}

/// What changed from one revision to another.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionDiff {
    pub from: i32,
    pub to: i32,
    /// (old, new) when the title changed.
    pub title: Option<(String, String)>,
    pub applies_to: Option<(String, String)>,
    pub section_changed: bool,
    pub lines: Vec<DiffLine>,
    pub inserted: usize,
    pub deleted: usize,
}

pub fn diff_revisions(old: &ArticleRevision, new: &ArticleRevision) -> RevisionDiff {
    let changed = |a: &str, b: &str| (a != b).then(|| (a.to_string(), b.to_string()));
    // Bodies are stored without a final newline; give both one so the last line compares equal.
    let (old_body, new_body) = (format!("{}\n", old.body_md), format!("{}\n", new.body_md));
    let text = TextDiff::from_lines(&old_body, &new_body);
    let mut lines = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    for (i, group) in text.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            lines.push(DiffLine {
                tag: "gap",
                text: String::new(),
                old_line: 0,
                new_line: 0,
            });
        }
        for op in group {
            for change in text.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => "equal",
                    ChangeTag::Insert => {
                        inserted += 1;
                        "insert"
                    }
                    ChangeTag::Delete => {
                        deleted += 1;
                        "delete"
                    }
                };
                lines.push(DiffLine {
                    tag,
                    text: change.value().trim_end_matches('\n').to_string(),
                    old_line: change.old_index().map_or(0, |i| i + 1),
                    new_line: change.new_index().map_or(0, |i| i + 1),
                });
            }
        }
    }
    RevisionDiff {
        from: old.number,
        to: new.number,
        title: changed(&old.title, &new.title),
        applies_to: changed(&old.applies_to, &new.applies_to),
        section_changed: old.section_id != new.section_id,
        lines,
        inserted,
        deleted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(number: i32, title: &str, body: &str) -> ArticleRevision {
        ArticleRevision {
            id: number.into(),
            article_id: 1,
            number,
            editor_id: 1,
            title: title.into(),
            section_id: 1,
            applies_to: String::new(),
            body_md: body.into(),
            summary: String::new(),
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn shows_changed_lines_with_context_and_gaps() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 18\n", "");
        let d = diff_revisions(&rev(1, "A title", &old), &rev(2, "A new title", &new));
        assert_eq!(d.inserted, 1);
        assert_eq!(d.deleted, 2);
        assert_eq!(d.title, Some(("A title".into(), "A new title".into())));
        let tags: Vec<&str> = d.lines.iter().map(|l| l.tag).collect();
        assert!(tags.contains(&"gap"), "{tags:?}");
        let deleted: Vec<&str> = d
            .lines
            .iter()
            .filter(|l| l.tag == "delete")
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(deleted, ["line 2", "line 18"]);
        // Unchanged lines far from any change are left out.
        assert!(!d.lines.iter().any(|l| l.text == "line 10"));
    }

    #[test]
    fn identical_revisions_have_no_lines() {
        let d = diff_revisions(&rev(1, "Same", "text\n"), &rev(2, "Same", "text\n"));
        assert!(d.lines.is_empty());
        assert!(d.title.is_none());
    }
}
