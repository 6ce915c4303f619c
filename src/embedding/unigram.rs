//! A compact Unigram (SentencePiece) tokenizer model: the same pieces and the same best
//! segmentation as the `tokenizers` crate's `Unigram`, in a few MB instead of hundreds.
//!
//! Why: the crate keeps the pieces of a Unigram vocabulary in a trie with a hash map per node;
//! for multilingual-e5-small's 250,002 pieces that is 288 MB of heap, more than the model's
//! weights. Here the pieces are one string, their ends and scores two arrays, and lookup is
//! one open-addressing table of ids keyed by an FNV hash that is extended byte by byte, so all
//! prefixes starting at a position are found in one pass (about 7 MB in all).
//!
//! Only the model is ours: the normaliser, pre-tokenizer, special tokens, post-processor and
//! truncation are the crate's own, read from the same `tokenizer.json` (`load`), so the ids
//! match the crate's tokenizer exactly (checked by a test over the self-service corpus).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tokenizers::decoders::DecoderWrapper;
use tokenizers::models::unigram::UnigramTrainer;
use tokenizers::normalizers::NormalizerWrapper;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::processors::PostProcessorWrapper;
use tokenizers::{AddedToken, Model, Token, TokenizerImpl};

/// The tokenizer built around the compact model.
pub type UnigramTokenizer = TokenizerImpl<
    CompactUnigram,
    NormalizerWrapper,
    PreTokenizerWrapper,
    PostProcessorWrapper,
    DecoderWrapper,
>;

/// SentencePiece's penalty for an unknown character, below the lowest piece's score (the
/// crate's `K_UNK_PENALTY`).
const UNK_PENALTY: f64 = 10.0;

/// The pieces of a Unigram vocabulary, their scores and a hash index over them.
pub struct CompactUnigram {
    /// Every piece, in id order, one after the other.
    text: String,
    /// Where piece `id` ends in `text` (it starts where `id - 1` ends).
    ends: Vec<u32>,
    scores: Vec<f64>,
    /// Open addressing: `id + 1` of the piece whose hash lands at (or probes on from) a
    /// slot; 0 is empty. A power of two at least twice the number of pieces.
    table: Vec<u32>,
    /// The longest piece, in bytes: no prefix longer than this is looked up.
    max_len: usize,
    min_score: f64,
    unk_id: Option<u32>,
}

/// The FNV-1a hash of `bytes`, extended one byte at a time.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;
fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
}
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_START, |h, &b| fnv_step(h, b))
}

impl CompactUnigram {
    /// Builds the model from the pieces and scores in id order.
    pub fn new(vocab: Vec<(String, f64)>, unk_id: Option<usize>) -> anyhow::Result<Self> {
        if vocab.is_empty() {
            anyhow::bail!("the Unigram vocabulary is empty");
        }
        if vocab.len() >= u32::MAX as usize / 2 {
            anyhow::bail!("the Unigram vocabulary is too large");
        }
        if let Some(unk) = unk_id {
            if unk >= vocab.len() {
                anyhow::bail!("the Unigram model's unk_id {unk} is outside its vocabulary");
            }
        }
        let total: usize = vocab.iter().map(|(p, _)| p.len()).sum();
        if total >= u32::MAX as usize {
            anyhow::bail!("the Unigram vocabulary is too large");
        }
        let mut text = String::with_capacity(total);
        let mut ends = Vec::with_capacity(vocab.len());
        let mut scores = Vec::with_capacity(vocab.len());
        let mut max_len = 0;
        let mut min_score = f64::INFINITY;
        for (piece, score) in &vocab {
            text.push_str(piece);
            ends.push(text.len() as u32);
            scores.push(*score);
            max_len = max_len.max(piece.len());
            min_score = min_score.min(*score);
        }
        let mut model = CompactUnigram {
            text,
            ends,
            scores,
            table: vec![0; (vocab.len() * 2).next_power_of_two()],
            max_len,
            min_score,
            unk_id: unk_id.map(|u| u as u32),
        };
        for id in 0..vocab.len() {
            let piece = model.piece(id);
            // A piece listed twice keeps its first id, as the crate's map of pieces does
            // (a later insert would replace it there; the first is what the lookup finds here
            // and what SentencePiece itself keeps).
            if model
                .find(piece.as_bytes(), fnv(piece.as_bytes()))
                .is_some()
            {
                continue;
            }
            let mask = model.table.len() - 1;
            let mut slot = fnv(piece.as_bytes()) as usize & mask;
            while model.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            model.table[slot] = id as u32 + 1;
        }
        Ok(model)
    }

    fn piece(&self, id: usize) -> &str {
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[start..self.ends[id] as usize]
    }

    /// The id of the piece `bytes` whose hash is `hash`.
    fn find(&self, bytes: &[u8], hash: u64) -> Option<u32> {
        let mask = self.table.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let entry = self.table[slot];
            if entry == 0 {
                return None;
            }
            if self.piece(entry as usize - 1).as_bytes() == bytes {
                return Some(entry - 1);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.text.len() + self.ends.len() * 4 + self.scores.len() * 8 + self.table.len() * 4
    }

    /// The best segmentation of `sentence` (Viterbi over the pieces that start at each
    /// character), as byte spans with their piece, `None` for a run of characters no piece
    /// covers (fused into one span): SentencePiece's `EncodeOptimized`, as the crate runs it.
    fn segment(&self, sentence: &str) -> Vec<(usize, usize, Option<u32>)> {
        #[derive(Clone, Copy)]
        struct Best {
            id: Option<u32>,
            score: f64,
            start: Option<usize>,
        }
        fn offer(node: &mut Best, start: usize, id: Option<u32>, score: f64) {
            if node.start.is_none() || score > node.score {
                *node = Best {
                    id,
                    score,
                    start: Some(start),
                };
            }
        }
        let bytes = sentence.as_bytes();
        let size = bytes.len();
        let unk_score = self.min_score - UNK_PENALTY;
        let mut best = vec![
            Best {
                id: None,
                score: 0.0,
                start: None,
            };
            size + 1
        ];
        for (start, ch) in sentence.char_indices() {
            let here = best[start].score;
            let char_len = ch.len_utf8();
            let mut has_single = false;
            let mut hash = FNV_START;
            for len in 1..=self.max_len.min(size - start) {
                hash = fnv_step(hash, bytes[start + len - 1]);
                // Pieces are whole characters: only lengths that end on a boundary can match.
                if !sentence.is_char_boundary(start + len) {
                    continue;
                }
                if let Some(id) = self.find(&bytes[start..start + len], hash) {
                    let score = here + self.scores[id as usize];
                    offer(&mut best[start + len], start, Some(id), score);
                    has_single |= len == char_len;
                }
            }
            if !has_single {
                offer(&mut best[start + char_len], start, None, here + unk_score);
            }
        }
        // Back from the end; unknown characters next to each other become one span.
        let mut spans: Vec<(usize, usize, Option<u32>)> = Vec::new();
        let mut end = size;
        while end > 0 {
            let node = best[end];
            let start = node.start.unwrap_or(0);
            match spans.last_mut() {
                Some(last) if node.id.is_none() && last.2.is_none() && last.0 == end => {
                    last.0 = start;
                }
                _ => spans.push((start, end, node.id)),
            }
            end = start;
        }
        spans.reverse();
        spans
    }
}

impl Model for CompactUnigram {
    /// The server never trains a tokenizer; the crate's own trainer type stands in because
    /// the trait asks for one.
    type Trainer = UnigramTrainer;

    fn tokenize(&self, sequence: &str) -> tokenizers::Result<Vec<Token>> {
        self.segment(sequence)
            .into_iter()
            .map(|(start, end, id)| {
                let text = &sequence[start..end];
                // A fused run of unknowns is `<unk>` (unless the run is itself a piece).
                let id = match id {
                    Some(id) => id,
                    None => self
                        .token_to_id(text)
                        .or(self.unk_id)
                        .ok_or("the Unigram model has no unk_id for an unknown character")?,
                };
                Ok(Token::new(id, text.to_string(), (start, end)))
            })
            .collect()
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.find(token.as_bytes(), fnv(token.as_bytes()))
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        ((id as usize) < self.ends.len()).then(|| self.piece(id as usize).to_string())
    }

    fn get_vocab(&self) -> HashMap<String, u32> {
        (0..self.ends.len())
            .map(|id| (self.piece(id).to_string(), id as u32))
            .collect()
    }

    fn get_vocab_size(&self) -> usize {
        self.ends.len()
    }

    fn save(&self, _folder: &Path, _prefix: Option<&str>) -> tokenizers::Result<Vec<PathBuf>> {
        Err("the compact Unigram model is read from tokenizer.json and never saved".into())
    }

    fn get_trainer(&self) -> UnigramTrainer {
        UnigramTrainer::default()
    }
}

/// The parts of `tokenizer.json` the compact tokenizer reads: everything but the model as
/// the crate reads it, the model as pieces and scores.
#[derive(Deserialize)]
struct File {
    #[serde(default)]
    added_tokens: Vec<AddedTokenEntry>,
    normalizer: Option<NormalizerWrapper>,
    pre_tokenizer: Option<PreTokenizerWrapper>,
    post_processor: Option<PostProcessorWrapper>,
    decoder: Option<DecoderWrapper>,
    model: UnigramEntry,
}

#[derive(Deserialize)]
struct AddedTokenEntry {
    content: String,
    #[serde(default)]
    single_word: bool,
    #[serde(default)]
    lstrip: bool,
    #[serde(default)]
    rstrip: bool,
    #[serde(default = "yes")]
    normalized: bool,
    #[serde(default)]
    special: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct UnigramEntry {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    vocab: Vec<(String, f64)>,
    unk_id: Option<usize>,
    #[serde(default)]
    byte_fallback: bool,
}

/// The `type` of the model in `tokenizer.json`'s text (`"Unigram"`, `"WordPiece"`, ...),
/// read without building anything.
pub fn model_kind(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Peek {
        model: PeekModel,
    }
    #[derive(Deserialize)]
    struct PeekModel {
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    serde_json::from_str::<Peek>(json).ok()?.model.kind
}

/// Reads `tokenizer.json`'s text into the compact tokenizer. Fails on a model that is not a
/// Unigram one, or one that falls back to bytes (not supported: no model we run uses it).
pub fn load(json: &str) -> anyhow::Result<UnigramTokenizer> {
    let file: File = serde_json::from_str(json)?;
    if file.model.kind.as_deref().is_some_and(|k| k != "Unigram") {
        anyhow::bail!("the tokenizer's model is not a Unigram model");
    }
    if file.model.byte_fallback {
        anyhow::bail!("Unigram models with byte_fallback are not supported");
    }
    let model = CompactUnigram::new(file.model.vocab, file.model.unk_id)?;
    let mut tokenizer = UnigramTokenizer::new(model);
    tokenizer
        .with_normalizer(file.normalizer)
        .map_err(|e| anyhow::anyhow!("tokenizer normalizer: {e}"))?;
    tokenizer
        .with_pre_tokenizer(file.pre_tokenizer)
        .with_post_processor(file.post_processor)
        .with_decoder(file.decoder);
    let (special, plain): (Vec<_>, Vec<_>) = file
        .added_tokens
        .into_iter()
        .map(|t| {
            AddedToken::from(t.content, t.special)
                .single_word(t.single_word)
                .lstrip(t.lstrip)
                .rstrip(t.rstrip)
                .normalized(t.normalized)
        })
        .partition(|t| t.special);
    tokenizer
        .add_special_tokens(special)
        .map_err(|e| anyhow::anyhow!("tokenizer special tokens: {e}"))?;
    tokenizer
        .add_tokens(plain)
        .map_err(|e| anyhow::anyhow!("tokenizer added tokens: {e}"))?;
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> CompactUnigram {
        let vocab = [
            ("<unk>", 0.0),
            ("▁", -2.0),
            ("▁h", -3.0),
            ("▁hello", -4.0),
            ("h", -5.0),
            ("e", -5.0),
            ("l", -5.0),
            ("o", -5.0),
            ("▁he", -4.5),
            ("llo", -4.0),
            ("ll", -3.0),
        ];
        CompactUnigram::new(
            vocab.iter().map(|(p, s)| (p.to_string(), *s)).collect(),
            Some(0),
        )
        .expect("toy vocabulary")
    }

    #[test]
    fn the_best_segmentation_wins_and_unknown_runs_are_fused() {
        let m = toy();
        let pieces = |s: &str| -> Vec<String> {
            m.tokenize(s)
                .expect("tokenize")
                .into_iter()
                .map(|t| t.value)
                .collect()
        };
        // "▁hello" (-4) beats "▁he"+"llo" (-8.5) and "▁h"+"e"+"ll"+"o" (-16).
        assert_eq!(pieces("▁hello"), ["▁hello"]);
        // "▁he"+"ll" (-7.5) beats "▁h"+"e"+"ll" (-11).
        assert_eq!(pieces("▁hell"), ["▁he", "ll"]);
        // Unknown characters next to each other are one `<unk>` token with their text.
        let tokens = m.tokenize("▁hexyz€o").expect("tokenize");
        let got: Vec<(&str, u32, (usize, usize))> = tokens
            .iter()
            .map(|t| (t.value.as_str(), t.id, t.offsets))
            .collect();
        assert_eq!(
            got,
            [("▁he", 8, (0, 5)), ("xyz€", 0, (5, 11)), ("o", 7, (11, 12))]
        );
        assert_eq!(m.token_to_id("ll"), Some(10));
        assert_eq!(m.token_to_id("lll"), None);
        assert_eq!(m.id_to_token(3).as_deref(), Some("▁hello"));
        assert_eq!(m.id_to_token(99), None);
    }

    #[test]
    fn a_bad_vocabulary_is_refused() {
        assert!(CompactUnigram::new(Vec::new(), None).is_err());
        assert!(CompactUnigram::new(vec![("a".into(), -1.0)], Some(5)).is_err());
        assert!(load("{}").is_err());
        assert!(load("not json").is_err());
    }

    /// On multilingual-e5-small's tokenizer, ours gives the crate's ids and offsets for every
    /// text: real questions, every script we can think of, hostile input, and strings glued
    /// from the vocabulary's own pieces (where the segmentation has the most choices).
    #[test]
    fn the_compact_tokenizer_matches_the_crate_on_e5s_vocabulary() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models/multilingual-e5-small/tokenizer.json");
        let Ok(json) = std::fs::read_to_string(&path) else {
            eprintln!(
                "skipped: no {} (scripts/fetch-model --multilingual)",
                path.display()
            );
            return;
        };
        assert_eq!(model_kind(&json).as_deref(), Some("Unigram"));
        let ours = load(&json).expect("compact tokenizer");
        let theirs: tokenizers::Tokenizer = json.parse().expect("crate tokenizer");
        assert_eq!(
            ours.get_model().get_vocab_size(),
            theirs.get_vocab_size(false)
        );
        // About 7 MB, against the crate's 288 MB.
        assert!(ours.get_model().bytes() < 16 << 20);

        let mut texts: Vec<String> = [
            "query: How do I put a package on hold?",
            "passage: Wie halte ich ein Paket auf seiner Version? Straßenbahnhaltestelle",
            "Mein Drucker druckt nicht mehr seit dem Update – was tun?",
            "Ça ne marche plus après la mise à jour, déjà essayé « apt-get » …",
            "为什么我的打印机不工作? 日本語のテキスト、한국어 텍스트",
            "Почему не работает принтер? Ελληνικά κείμενα, עברית, العربية",
            "emoji 👩‍💻🚀 and flags 🇩🇪 and ZWJ a\u{200d}b, combining e\u{301}",
            "   leading and   repeated   spaces\t\ttabs\nnewlines\r\n",
            "<s> <mask> </s> <unk> <pad> special tokens typed by a user",
            "https://example.com/a/very/long/url?with=query&and=%20escapes#fragment",
            "SELECT * FROM users; -- <script>alert(1)</script> {{ template }}",
            "ǅ ﬁ ℌ ① ＡＢＣ fullwidth and compatibility forms ㍿",
            "\u{0}\u{1}\u{7f} control characters \u{feff} BOM",
            "",
            " ",
            "x",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.push("aaaaaaaaaa".repeat(60));
        texts.push("Donaudampfschifffahrtsgesellschaftskapitänsmütze".repeat(5));
        // Pieces glued together without their word marks: many ways to cut each.
        let vocab = ours.get_model();
        let mut seed = 7u64;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..6 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let id = (seed >> 33) as u32 % vocab.get_vocab_size() as u32;
                let piece = vocab.id_to_token(id).unwrap_or_default();
                text.push_str(piece.trim_start_matches('\u{2581}'));
                if seed.is_multiple_of(3) {
                    text.push(' ');
                }
            }
            texts.push(text);
        }
        for text in &texts {
            let a = ours.encode(text.as_str(), true).expect("ours");
            let b = theirs.encode(text.as_str(), true).expect("theirs");
            assert_eq!(a.get_ids(), b.get_ids(), "ids of {text:?}");
            assert_eq!(a.get_offsets(), b.get_offsets(), "offsets of {text:?}");
        }
    }
}
