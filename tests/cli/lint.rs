//! `semdoc lint`: the service fixtures under `tests/fixtures/services/` (a Spring Boot service, a
//! plain Java consumer, a Python confluent-kafka producer, a librdkafka `.conf`, a Rust rdkafka
//! producer), `.gitignore`, symbolic links, `--expect`, and the machine formats.

use crate::*;
use std::path::Path;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/services")
}

/// A copy of the fixtures in the sandbox, so tests may edit them.
fn copy_fixtures(sandbox: &Sandbox) -> PathBuf {
    let dir = sandbox.path().join("services");
    copy_tree(&fixtures(), &dir);
    dir
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// (path, line, role, client, kafka, verdict) of every finding.
fn rows(v: &serde_json::Value) -> Vec<(String, u64, String, String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("path"), f["line"].as_u64().unwrap(), s("role"), s("client"), s("kafka"), s("verdict"))
        })
        .collect()
}

#[test]
fn every_fixture_config_is_found_with_its_verdict_and_ignored_files_are_not() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["lint", "services", "--format", "json"], &fixtures().join(".."));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json_of(&out);
    let r = |p: &str, l: u64, role: &str, client: &str, kafka: &str, verdict: &str| {
        (format!("services/{p}"), l, role.to_string(), client.to_string(), kafka.to_string(), verdict.to_string())
    };
    assert_eq!(
        rows(&v),
        vec![
            r("edge-gateway/etc/producer.conf", 2, "producer", "librdkafka", "4.1.0", "exactly-once"),
            r("ledger-rs/src/main.rs", 5, "producer", "librdkafka", "4.1.0", "no-guarantee"),
            r("notifier/app/producer.py", 6, "producer", "librdkafka", "4.1.0", "no-guarantee"),
            // Spring Boot 3.3 manages kafka-clients 3.7; the transaction-id-prefix makes it idempotent.
            r("order-service/src/main/resources/application.yml", 6, "producer", "java", "3.7", "exactly-once"),
            r(
                "payment-consumer/src/main/java/com/example/payments/PaymentConsumer.java",
                13,
                "consumer",
                "java",
                "3.7",
                "at-least-once"
            ),
        ],
        "order-service/target/ is in .gitignore; application-local.properties has no Kafka key"
    );
    // Every candidate and build file is read (application-local.properties too, though it holds
    // no configuration); the ignored and hidden ones are not visited.
    let listed = |dir: &Path| -> Vec<PathBuf> {
        let mut out = vec![];
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if name.starts_with('.') || name == "target" {
                    continue;
                }
                if p.is_dir() { todo.push(p) } else { out.push(p) }
            }
        }
        out
    };
    let files = listed(&fixtures());
    assert_eq!(v["visited"], files.len(), "{files:?}");
    assert_eq!(v["read"], files.len(), "every fixture file is a candidate or a build file: {files:?}");
    assert!(files.len() > v["findings"].as_array().unwrap().len());
    let order = &v["findings"][3];
    assert_eq!(order["kafka_from"], "services/order-service/pom.xml:6");
    let notifier = &v["findings"][2];
    assert!(notifier["fix"].as_str().unwrap().contains("acks=all"), "the proven fix: {notifier}");
}

#[test]
fn expect_fails_weaker_configs_and_an_edit_turns_a_service_red_at_its_line() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    let out = sandbox.run(&["lint", "--expect", "at-least-once"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("FAIL notifier/app/producer.py:6:"), "{text}");
    assert!(text.contains("FAIL ledger-rs/src/main.rs:5:"), "{text}");
    assert!(text.contains("ok   order-service/src/main/resources/application.yml:6:"), "{text}");
    assert!(text.contains("expected at-least-once but the configuration is no-guarantee"), "{text}");
    assert!(text.contains("5 Kafka configurations (2 failed)"), "{text}");

    let yml = dir.join("order-service/src/main/resources/application.yml");
    let edited = std::fs::read_to_string(&yml)
        .unwrap()
        .replace("acks: all", "acks: 1")
        .replace("      transaction-id-prefix: order-tx-\n", "");
    std::fs::write(&yml, edited).unwrap();
    let out = sandbox.run(&["lint", "order-service", "--expect", "exactly-once", "--format", "github"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let gh = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        gh.starts_with("::error file=order-service/src/main/resources/application.yml,line=6,title=semdoc lint::"),
        "{gh}"
    );
    assert!(gh.contains("expected exactly-once"), "{gh}");
}

#[test]
fn symlinks_are_listed_not_followed_and_unreadable_input_is_never_ok() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    let outside = sandbox.path().join("outside.properties");
    std::fs::write(&outside, "acks=0\n").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("linked.properties")).unwrap();
    std::fs::write(dir.join("notifier/garbled.properties"), "acks=all\nbootstrap.servrs=x\n").unwrap();
    let out = sandbox.run(&["lint", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1), "the unknown key fails the run: {}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["skipped"], serde_json::json!([{ "path": "linked.properties", "reason": "symlink" }]));
    let garbled =
        v["findings"].as_array().unwrap().iter().find(|f| f["path"] == "notifier/garbled.properties").unwrap();
    assert_eq!(garbled["verdict"], "invalid-config", "an unknown key is never a guarantee: {garbled}");
    assert!(garbled["notes"][0]["message"].as_str().unwrap().contains("bootstrap.servrs"), "{garbled}");
    assert_eq!(garbled["notes"][0]["line"], 2);
    let out = sandbox.run(&["lint", "no-such-dir"], &dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn junit_has_one_case_per_configuration() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    let out = sandbox.run(&["lint", "--expect", "at-least-once", "--format", "junit"], &dir);
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(xml.matches("<testcase ").count(), 5, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
    assert!(xml.contains("tests=\"5\" skipped=\"0\" failures=\"2\" errors=\"0\""), "{xml}");
}

/// SARIF 2.1.0 for code scanning, validated against the published schema (OASIS, rtm.5) when
/// `scripts/fetch-sarif-schema.sh` has put it in `target/`; `.ci/run` fetches it and sets
/// `SEMDOC_REQUIRE_SARIF_SCHEMA=1`, which turns the skip into a failure.
#[test]
fn sarif_validates_against_the_published_schema() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    let out = sandbox.run(&["lint", "--expect", "at-least-once", "--format", "sarif"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let errors: Vec<&serde_json::Value> = results.iter().filter(|r| r["level"] == "error").collect();
    assert_eq!(errors.len(), 2, "{results:?}");
    assert_eq!(errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "ledger-rs/src/main.rs");
    assert_eq!(errors[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif-schema-2.1.0.json");
    let Ok(schema) = std::fs::read(&schema_path) else {
        let why = "needs the SARIF 2.1.0 schema: run scripts/fetch-sarif-schema.sh (npm registry)";
        let required = std::env::var_os("SEMDOC_REQUIRE_SARIF_SCHEMA").is_some_and(|v| !v.is_empty() && v != "0");
        assert!(!required, "sarif_validates_against_the_published_schema {why} (SEMDOC_REQUIRE_SARIF_SCHEMA is set)");
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped sarif_validates_against_the_published_schema: {why}");
        return;
    };
    let mut schema: serde_json::Value = serde_json::from_slice(&schema).unwrap();
    // The published schema's `language` patterns have a bare `]` (`…{2}]?$`), a literal in legacy
    // ECMA-262 regexes but refused by jsonschema's stricter pattern check; escaping it keeps each
    // pattern's meaning exactly (a literal `]`) and lets the schema compile.
    fn escape_bracket(v: &mut serde_json::Value, fixed: &mut usize) {
        match v {
            serde_json::Value::Object(m) => m.iter_mut().for_each(|(k, v)| match v {
                serde_json::Value::String(p) if k == "pattern" && p.ends_with("{2}]?$") => {
                    *p = p.replace("{2}]?$", "{2}\\]?$");
                    *fixed += 1;
                }
                _ => escape_bracket(v, fixed),
            }),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| escape_bracket(v, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    escape_bracket(&mut schema, &mut fixed);
    assert!(fixed > 0, "the schema is the published rtm.5 file, with its known `language` patterns");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let problems: Vec<String> = validator.iter_errors(&v).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // The validator is not a rubber stamp: a result without a message is refused.
    let mut broken = v.clone();
    broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&broken));
}

/// A profile document in application.yml is read only for its profile: without `--profile` it is
/// listed as not read (a warning at its line); with `--profile local` it decides the verdict.
#[test]
fn a_profile_document_counts_only_for_its_profile() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    let yml = dir.join("order-service/src/main/resources/application.yml");
    let mut text = std::fs::read_to_string(&yml).unwrap();
    let line = text.lines().count() + 5;
    text.push_str(
        "---\nspring:\n  config:\n    activate:\n      on-profile: local\n  kafka:\n    producer:\n      retries: 0\n",
    );
    std::fs::write(&yml, text).unwrap();
    let out = sandbox.run(&["lint", "order-service", "--expect", "exactly-once", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json_of(&out);
    let notes = v["findings"][0]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["code"] == "yaml-profile"
            && n["line"] == line
            && n["message"].as_str().unwrap().contains("not read")),
        "{notes:?}"
    );
    let out = sandbox
        .run(&["lint", "order-service", "--expect", "exactly-once", "--profile", "local", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_ne!(v["findings"][0]["verdict"], "exactly-once", "{v}");
}

/// Spring's environment-variable names in a `.env` file (hidden, but read) and in each
/// docker-compose service's `environment:` are configurations too, each at its variable's line.
#[test]
fn env_files_and_compose_services_are_configurations() {
    let sandbox = Sandbox::new();
    let dir = copy_fixtures(&sandbox);
    std::fs::write(dir.join("notifier/.env"), "DB_URL=x\nSPRING_KAFKA_PRODUCER_ACKS=all\n").unwrap();
    std::fs::write(
        dir.join("docker-compose.yml"),
        "services:\n  orders:\n    environment:\n      SPRING_KAFKA_PRODUCER_ACKS: \"0\"\n  billing:\n    environment:\n      - SPRING_KAFKA_CONSUMER_ENABLE_AUTO_COMMIT=true\n",
    )
    .unwrap();
    let out = sandbox.run(&["lint", "--format", "json"], &dir);
    let v = json_of(&out);
    let got: Vec<(String, u64, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "spring-env")
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["service"].as_str().unwrap_or("").into(),
                f["verdict"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("docker-compose.yml".into(), 4, "orders".into(), "at-most-once".into()),
            ("docker-compose.yml".into(), 7, "billing".into(), "at-least-once".into()),
            // Beside the Python service's requirements.txt, Spring's variables are still the Java client's.
            ("notifier/.env".into(), 2, "".into(), "exactly-once".into()),
        ],
        "{v}"
    );
}
