//! Progress for long operations (demo data, reindex): a bar on a terminal, and plain lines every
//! 10 % when output goes to a log, so operators see progress either way.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar that also prints lines when stderr is not a terminal.
pub struct Progress {
    bar: ProgressBar,
    label: &'static str,
    terminal: bool,
    last_decile: AtomicU64,
}

impl Progress {
    pub fn new(label: &'static str, unit: &str) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = ProgressBar::new(0);
        let template =
            format!("{{msg:>10}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}}, eta {{eta}})");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label);
        Progress {
            bar,
            label,
            terminal,
            last_decile: AtomicU64::new(0),
        }
    }

    pub fn set(&self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        if !self.terminal && total > 0 {
            let decile = done * 10 / total;
            if decile > self.last_decile.swap(decile, Ordering::Relaxed) {
                eprintln!("{}: {done}/{total} ({}%)", self.label, decile * 10);
            }
        }
    }

    pub fn finish(&self) {
        self.bar.finish();
    }
}
