//! Fuzz check: the whole classifier (parse, resolve, check) on arbitrary snippets with options
//! picked from the input's first bytes. Must never panic, must stay within the default bounds, and
//! must answer with one of the verdicts docs/model.md §1 defines.

use semdoc::semantics::{Classifier, Input, Lang};

const LANGS: [Lang; 6] = [Lang::Properties, Lang::Yaml, Lang::Java, Lang::Kotlin, Lang::Python, Lang::Rust];
const KAFKA: [&str; 8] = ["2.0", "2.8", "3.0.0", "3.0.1", "3.9", "4.0", "4.1", "9.9"];
const CLIENT: [&str; 3] = ["java", "librdkafka", "go"];
const ROLE: [&str; 4] = ["producer", "consumer", "pipeline", "x"];
const FAULTS: [&str; 3] = ["kafka-promise", "power-loss", "x"];
const COMMIT: [&str; 6] = ["auto", "before-processing", "after-processing", "transactional", "never", "x"];

pub fn check(data: &[u8]) {
    if data.len() < 3 {
        return;
    }
    let (opts, rest) = data.split_at(3);
    let text = String::from_utf8_lossy(rest);
    let mut input = Input::new(&text, LANGS[opts[0] as usize % LANGS.len()]);
    let pick = |b: u8, n: usize| (b as usize / 7) % n;
    if opts[1] & 1 != 0 {
        input.overrides.insert("kafka".into(), KAFKA[pick(opts[1], KAFKA.len())].into());
    }
    if opts[1] & 2 != 0 {
        input.overrides.insert("client".into(), CLIENT[pick(opts[2], CLIENT.len())].into());
    }
    if opts[2] & 1 != 0 {
        input.overrides.insert("role".into(), ROLE[pick(opts[2], ROLE.len())].into());
    }
    if opts[2] & 2 != 0 {
        input.overrides.insert("faults".into(), FAULTS[pick(opts[0], FAULTS.len())].into());
    }
    if opts[0] & 128 != 0 {
        input.overrides.insert("commit".into(), COMMIT[pick(opts[1], COMMIT.len())].into());
    }
    let v = Classifier::new().classify(&input);
    assert!(v.bounds.faults <= 3 && v.bounds.messages <= 2, "bounds exceeded: {:?}", v.bounds);
    assert!(
        [
            "exactly-once",
            "at-least-once",
            "at-most-once",
            "no-guarantee",
            "invalid-config",
            "cannot-deliver",
            "unusable"
        ]
        .contains(&v.verdict.as_str()),
        "unknown verdict {}",
        v.verdict
    );
    for c in &v.counterexamples {
        assert!(c.faults <= 3, "counterexample with {} faults", c.faults);
        assert!(c.violation_step >= 1 && c.violation_step <= c.steps.len(), "violation step out of range");
    }
}
