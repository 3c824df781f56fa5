//! The fuzz checks (`fuzz/checks/*.rs`, also the cargo-fuzz targets) run on the stable toolchain:
//! a mutational random search from the seed corpus in `fuzz/seeds/`, without coverage feedback
//! (that is `scripts/fuzz.sh` with nightly and libFuzzer). `cargo test` runs a short fixed,
//! reproducible number of inputs per check; `.ci/run` sets `SEMDOC_FUZZ_SECONDS` to run each for
//! that long from a fresh random seed (printed, with the executions, so a failure can be replayed
//! with `SEMDOC_FUZZ_SEED`). A panic fails the test and prints the input's bytes.

#[path = "../../fuzz/checks/classifier.rs"]
mod classifier;
#[path = "../../fuzz/checks/frontmatter.rs"]
mod frontmatter;
#[path = "../../fuzz/checks/highlight_store.rs"]
mod highlight_store;
#[path = "../../fuzz/checks/markdown.rs"]
mod markdown;
#[path = "../../fuzz/checks/snippet_parsers.rs"]
mod snippet_parsers;
#[path = "../../fuzz/checks/table_binding.rs"]
mod table_binding;

use std::time::{Duration, Instant};

/// Tokens the mutator splices in: the syntax the readers look for.
const DICTIONARY: &[&str] = &[
    "\n",
    "=",
    ": ",
    "---\n",
    "```",
    "semdoc",
    "expect=",
    "acks",
    "all",
    "enable.idempotence",
    "true",
    "transactional.id",
    "isolation.level",
    "read_committed",
    "spring:\n  kafka:\n    producer:\n",
    "props.put(\"",
    "\")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    "<!--",
    "-->",
    "|",
    "- ",
    "  ",
    "\t",
    "\r\n",
    "$$",
    "{%",
    "%}",
    "{{",
    "}}",
    "{:",
    "\u{feff}",
    "\u{0}",
    "날짜",
    "date: ",
    "2024-01-01",
    "title: ",
    "min.insync.replicas",
    "replication.factor",
    "commitSync();",
    "poll(",
    "for (",
    "while (true) {",
    "semdoc.client=librdkafka",
];

fn seeds(name: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(name);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).filter_map(|e| std::fs::read(e.path()).ok()).collect())
        .unwrap_or_default();
    out.sort();
    if out.is_empty() {
        out.push(b"acks=all\n".to_vec());
    }
    out
}

/// One to four random edits: bit flips, byte replacements, dictionary insertions, deletions,
/// duplications and splices with another seed.
fn mutate(rng: &mut fastrand::Rng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    for _ in 0..rng.usize(1..=4) {
        let len = input.len();
        let at = rng.usize(0..=len);
        match rng.u8(0..6) {
            0 if len > 0 => {
                let i = rng.usize(0..len);
                input[i] ^= 1 << rng.u8(0..8);
            }
            1 if len > 0 => {
                let i = rng.usize(0..len);
                input[i] = *rng.choice(b"\n=:{}\"`-#|\0\xff \t[]".iter()).unwrap();
            }
            2 => {
                let t = rng.choice(DICTIONARY).unwrap();
                input.splice(at..at, t.bytes());
            }
            3 if len > 0 => {
                let end = (at + rng.usize(1..=16)).min(len);
                input.drain(at.min(end)..end);
            }
            4 if len > 0 && len < 1 << 16 => {
                let start = rng.usize(0..len);
                let end = (start + rng.usize(1..=64)).min(len);
                let piece = input[start..end].to_vec();
                input.splice(at..at, piece);
            }
            _ => {
                let other = rng.choice(pool).unwrap();
                let cut = rng.usize(0..=other.len());
                input.truncate(at);
                input.extend_from_slice(&other[cut..]);
            }
        }
    }
}

/// Runs `check` on mutants of the seeds: `runs` of them, or for `SEMDOC_FUZZ_SECONDS` seconds.
fn fuzz(name: &str, check: fn(&[u8]), runs: usize) {
    let seconds: Option<u64> = std::env::var("SEMDOC_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let seed: u64 = match std::env::var("SEMDOC_FUZZ_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(s) => s,
        None if seconds.is_some() => fastrand::u64(..),
        None => name.bytes().fold(0x5eed_u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)),
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let pool = seeds(name);
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut current = pool[0].clone();
    let mut executed = 0usize;
    loop {
        let more = match deadline {
            Some(d) => Instant::now() < d,
            None => executed < runs,
        };
        if !more {
            break;
        }
        // A random walk that returns to a seed now and then, with inputs kept small.
        if rng.u8(0..8) == 0 || current.len() > 8 * 1024 {
            current = rng.choice(&pool).unwrap().clone();
        }
        mutate(&mut rng, &mut current, &pool);
        let input = current.clone();
        let result = std::panic::catch_unwind(|| check(&input));
        executed += 1;
        if let Err(e) = result {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!(
                "fuzz check `{name}` panicked ({}) after {executed} inputs (SEMDOC_FUZZ_SEED={seed}) on {:?}",
                msg.unwrap_or_default(),
                String::from_utf8_lossy(&input)
            );
        }
    }
    eprintln!("fuzz {name}: {executed} inputs from {} seeds (SEMDOC_FUZZ_SEED={seed})", pool.len());
    assert!(executed > 0);
}

#[test]
fn fuzz_classifier() {
    fuzz("classifier", classifier::check, 300);
}

#[test]
fn fuzz_frontmatter() {
    fuzz("frontmatter", frontmatter::check, 2000);
}

#[test]
fn fuzz_highlight_store() {
    fuzz("highlight_store", highlight_store::check, 1000);
}

#[test]
fn fuzz_markdown() {
    fuzz("markdown", markdown::check, 2000);
}

#[test]
fn fuzz_snippet_parsers() {
    fuzz("snippet_parsers", snippet_parsers::check, 2000);
}

#[test]
fn fuzz_table_binding() {
    fuzz("table_binding", table_binding::check, 5000);
}
