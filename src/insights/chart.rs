//! The dashboard's bar charts as numbers: where each day's bar goes in a fixed SVG viewBox.
//! The template draws them (server-side SVG, no JavaScript, no chart library), so a theme
//! restyles bars with CSS and never does arithmetic in a template.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Dashboard, Figures};

/// The viewBox every chart is drawn in; the page scales it to the column's width.
pub const WIDTH: f64 = 600.0;
pub const HEIGHT: f64 = 120.0;

/// One chart: a bar per day, with an optional darker part inside each bar.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The figure shown: `searches`, `ask_sessions`, `questions`, `kb_share`,
    /// `first_response`, `solved_rate` or `responders`. Templates word it with
    /// `t("insights-chart", chart=key)` and its legend with `t("insights-legend", chart=key)`.
    pub key: &'static str,
    /// How values are written: `count`, `percent` or `minutes` (`|duration`).
    pub unit: &'static str,
    /// Bars have a darker part (searches with a click, deflected visits, answers by peers).
    pub has_part: bool,
    /// The value the top of the chart stands for: a round number at or above the largest bar.
    pub top: f64,
    pub width: f64,
    pub height: f64,
    /// The period's figure: the sum for counts, the period's share or median otherwise.
    pub total: Option<f64>,
    /// The darker parts' sum over the period (counts with a part only).
    pub part_total: Option<f64>,
    pub bars: Vec<Bar>,
}

/// One day's bar, in viewBox units (`y` grows downwards).
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub date: NaiveDate,
    /// The day's value (`None`: nothing to show, e.g. a share of no questions).
    pub value: Option<f64>,
    /// The darker part's value.
    pub part: Option<f64>,
    pub x: f64,
    pub width: f64,
    pub y: f64,
    pub height: f64,
    pub part_y: f64,
    pub part_height: f64,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten at or above `max` (1 for nothing).
pub fn nice_top(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&v| v >= max)
        .unwrap_or(10.0 * power)
}

type Pick = fn(&Figures) -> Option<f64>;

fn count(v: i64) -> Option<f64> {
    Some(v as f64)
}

/// A chart of `value` (and `part`) per day of `d`.
fn chart(
    d: &Dashboard,
    key: &'static str,
    unit: &'static str,
    value: Pick,
    part: Option<Pick>,
) -> Chart {
    let points: Vec<(NaiveDate, Option<f64>, Option<f64>)> = d
        .per_day
        .iter()
        .map(|day| {
            (
                day.date,
                value(&day.figures),
                part.and_then(|p| p(&day.figures)),
            )
        })
        .collect();
    let max = points.iter().filter_map(|p| p.1).fold(0.0, f64::max);
    let top = if unit == "percent" {
        100.0
    } else {
        nice_top(max)
    };
    let slot = WIDTH / points.len().max(1) as f64;
    // A sliver between bars, so neighbouring days stay apart even at 90 bars.
    let gap = (slot * 0.2).min(4.0);
    let scale = |v: f64| (v.max(0.0) / top * HEIGHT).min(HEIGHT);
    let bars = points
        .into_iter()
        .enumerate()
        .map(|(i, (date, value, part))| {
            let height = value.map_or(0.0, scale);
            let part_height = part.map_or(0.0, scale).min(height);
            Bar {
                date,
                value,
                part,
                x: round2(i as f64 * slot + gap / 2.0),
                width: round2(slot - gap),
                y: round2(HEIGHT - height),
                height: round2(height),
                part_y: round2(HEIGHT - part_height),
                part_height: round2(part_height),
            }
        })
        .collect();
    Chart {
        key,
        unit,
        has_part: part.is_some(),
        top,
        width: WIDTH,
        height: HEIGHT,
        total: value(&d.totals),
        part_total: part.and_then(|p| p(&d.totals)),
        bars,
    }
}

/// The dashboard's charts, in the order the page shows them.
pub fn charts(d: &Dashboard) -> Vec<Chart> {
    vec![
        chart(
            d,
            "searches",
            "count",
            |f| count(f.searches),
            Some(|f| count(f.searches_clicked)),
        ),
        chart(
            d,
            "ask_sessions",
            "count",
            |f| count(f.ask_sessions),
            Some(|f| count(f.deflected)),
        ),
        chart(d, "questions", "count", |f| count(f.questions), None),
        chart(
            d,
            "kb_share",
            "percent",
            |f| f.kb_share.map(f64::from),
            None,
        ),
        chart(
            d,
            "first_response",
            "minutes",
            |f| f.median_first_response_minutes.map(|m| m as f64),
            None,
        ),
        chart(
            d,
            "solved_rate",
            "percent",
            |f| f.solved_rate.map(f64::from),
            None,
        ),
        chart(
            d,
            "responders",
            "count",
            |f| count(f.first_responses_by_staff + f.first_responses_by_peers),
            Some(|f| count(f.first_responses_by_peers)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::Day;

    #[test]
    fn the_top_is_a_round_number_above_the_largest_bar() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(1.0), 1.0);
        assert_eq!(nice_top(3.0), 5.0);
        assert_eq!(nice_top(21.0), 25.0);
        assert_eq!(nice_top(120.0), 200.0);
        assert_eq!(nice_top(999.0), 1000.0);
    }

    #[test]
    fn bars_stand_on_the_baseline_in_proportion() {
        let day = |n: u32, searches: i64, clicked: i64| Day {
            date: NaiveDate::from_ymd_opt(2026, 12, n).unwrap(),
            figures: Figures {
                searches,
                searches_clicked: clicked,
                ..Default::default()
            },
        };
        let d = Dashboard {
            days: 2,
            from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            time_zone: "UTC".into(),
            totals: Figures {
                searches: 5,
                searches_clicked: 1,
                ..Default::default()
            },
            per_day: vec![day(1, 5, 1), day(2, 0, 0)],
            content_gaps: Vec::new(),
            weak_score: 0.45,
        };
        let charts = charts(&d);
        let c = &charts[0];
        assert_eq!(
            (c.key, c.top, c.total, c.part_total),
            ("searches", 5.0, Some(5.0), Some(1.0))
        );
        let b = &c.bars[0];
        assert_eq!((b.height, b.y), (HEIGHT, 0.0));
        assert_eq!((b.part_height, b.part_y), (24.0, 96.0));
        assert_eq!(c.bars[1].height, 0.0);
        assert!(c.bars[1].x > b.x + b.width, "bars do not touch");
        // Shares of nothing have no bar.
        let kb = charts.iter().find(|c| c.key == "kb_share").unwrap();
        assert_eq!((kb.top, kb.bars[0].value), (100.0, None));
    }
}
