//! Prints how fast the embedding model runs on this machine: one short draft (the ask page's
//! case) and batches of thread-length texts (the embedder's case).
//!
//!     cargo run --release --bin embed-bench -- [MODEL_DIR] [--iterations N] [--check [FILE]]
//!
//! `--check` compares the vectors with candle's f32 model over the same folder (needs
//! `model.safetensors` or `pytorch_model.bin`): cosine per text, minimum and mean, for the
//! texts of FILE (JSON lines with `title`/`body` or `q`; default the self-service set in
//! ../shared/selfservice when present, else built-in sentences).
//!
//! `--vectors` reads lines `q<TAB>text` (a query) or `p<TAB>text` (a passage) from stdin and
//! prints each vector as one line of numbers, for comparing with another implementation.
use std::time::Instant;

use peerdesk::embedding::{reference::Reference, Embedder};

/// The process's anonymous resident memory (its heap, in effect): `RssAnon` on Linux, 0
/// elsewhere.
fn heap_bytes() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("RssAnon:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let takes_value = |a: &str| a == "--iterations" || a == "--check";
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !takes_value(&args[i - 1])))
        .map(|(_, a)| std::path::PathBuf::from(a))
        .unwrap_or_else(peerdesk::embedding::default_dir);
    let iterations: usize = args
        .iter()
        .position(|a| a == "--iterations")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let heap_before = heap_bytes();
    let t = Instant::now();
    let model = Embedder::load(&dir)?;
    let loaded = format!(
        "loaded {} in {:.2?} ({} MB of weights in memory, heap +{} MB with the tokenizer, \
         {} threads, {:?} kernels)",
        model.name(),
        t.elapsed(),
        model.memory_bytes() / 1_000_000,
        heap_bytes().saturating_sub(heap_before) / 1_000_000,
        rayon::current_num_threads(),
        peerdesk::embedding::quant::level()
    );
    if args.iter().any(|a| a == "--vectors") {
        eprintln!("{loaded}");
        return vectors(&model);
    }
    println!("{loaded}");
    if let Some(i) = args.iter().position(|a| a == "--check") {
        let file = args.get(i + 1).filter(|a| !a.starts_with("--"));
        return check(&dir, &model, file.map(String::as_str));
    }
    let drafts = [
        "stop apt from upgrading one specific program",
        "wifi drops every few minutes",
        "how do I reset my password",
        "Drucker druckt nicht mehr nach dem Update",
    ];
    for d in drafts {
        model.embed_queries(&[d])?;
    }
    let mut times = Vec::new();
    for i in 0..iterations {
        let d = format!("{} {i}", drafts[i % drafts.len()]);
        let t = Instant::now();
        model.embed_queries(&[d.as_str()])?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    let tokens = model.encode(model.query_prompt(), drafts[0])?.len();
    println!(
        "one short draft ({tokens} tokens): p50 {:.2} ms, p99 {:.2} ms ({iterations} drafts)",
        at(0.5),
        at(0.99)
    );
    let long = "My router loses its wireless connection every few minutes after the last firmware update. \
        I tried resetting it to factory settings, changing the channel and moving it away from the microwave, \
        but the connection still drops. The log shows 'deauthenticated' lines. What else can I try? ".repeat(3);
    let batch: Vec<String> = (0..32).map(|i| format!("{i} {long}")).collect();
    let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
    let tokens = model.encode(model.passage_prompt(), batch[0])?.len();
    let t = Instant::now();
    for chunk in batch.chunks(16) {
        model.embed_passages(chunk)?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "thread-length texts ({tokens} tokens): {:.1} threads/s",
        batch.len() as f64 / secs
    );
    Ok(())
}

fn vectors(model: &Embedder) -> anyhow::Result<()> {
    use std::io::{BufRead, Write};
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let Some((kind, text)) = line.split_once('\t') else {
            continue;
        };
        let v = if kind == "q" {
            model.embed_queries(&[text])?
        } else {
            model.embed_passages(&[text])?
        };
        let nums: Vec<String> = v[0].iter().map(|x| format!("{x:.7}")).collect();
        writeln!(out, "{}", nums.join(" "))?;
    }
    Ok(())
}

/// The texts `--check` compares on.
fn check_texts(file: Option<&str>) -> anyhow::Result<Vec<String>> {
    let default = [
        "../shared/selfservice/corpus.jsonl",
        "../shared/selfservice/dev-queries.jsonl",
    ];
    let files: Vec<&str> = match file {
        Some(f) => vec![f],
        None => default
            .into_iter()
            .filter(|f| std::path::Path::new(f).exists())
            .collect(),
    };
    let mut texts = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(f)?.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            if !s("q").is_empty() {
                texts.push(s("q"));
            }
            if !s("title").is_empty() {
                texts.push(s("title"));
                texts.push(format!("{}\n{}", s("title"), s("body")));
            }
        }
    }
    if texts.is_empty() {
        texts = [
            "How do I put a package on hold?",
            "stop apt from upgrading one specific program",
            "Wie installiere ich ein Paket aus den Quellen?",
            "Why does Python use indentation for grouping statements?",
            "printer stopped working after the update",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
    }
    Ok(texts)
}

fn check(dir: &std::path::Path, model: &Embedder, file: Option<&str>) -> anyhow::Result<()> {
    let texts = check_texts(file)?;
    let reference = Reference::load(dir)?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let t = Instant::now();
    let want = reference.embed(model, &refs)?;
    let f32_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let got = model.embed_passages(&refs)?;
    let int8_secs = t.elapsed().as_secs_f64();
    let mut cos: Vec<(f32, usize)> = want
        .iter()
        .zip(&got)
        .enumerate()
        .map(|(i, (a, b))| (a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>(), i))
        .collect();
    cos.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = cos.iter().map(|c| c.0).sum::<f32>() / cos.len() as f32;
    println!(
        "cosine with the f32 model over {} texts: min {:.5}, p1 {:.5}, mean {:.5} (f32 {:.1}s, int8 {:.1}s)",
        cos.len(),
        cos[0].0,
        cos[cos.len() / 100].0,
        mean,
        f32_secs,
        int8_secs
    );
    let worst = &texts[cos[0].1];
    println!("lowest: {:?}", worst.chars().take(80).collect::<String>());
    anyhow::ensure!(
        cos[0].0 >= 0.99,
        "a vector is further than cosine 0.99 from f32"
    );
    Ok(())
}
