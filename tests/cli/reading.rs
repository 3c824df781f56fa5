//! Snippet reading through the CLI: Spring Boot keys, YAML, text that is no configuration, and
//! `semdoc check` on a page whose snippet has an unknown key.

use crate::*;
use std::io::Write;
use std::process::Stdio;

fn explain(stdin: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .command(&all, sandbox.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run semdoc");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn spring_boot_properties_on_stdin_are_read() {
    let (code, out) = explain("spring.kafka.producer.acks=0\nspring.kafka.producer.retries=0\n", &["--kafka", "3.9"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\"verdict\": \"at-most-once\""), "{out}");
}

#[test]
fn flow_map_yaml_on_stdin_is_read() {
    let (code, out) = explain("spring: {kafka: {producer: {acks: \"0\", retries: 0}}}\n", &["--kafka", "3.9"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\"verdict\": \"at-most-once\""), "{out}");
}

#[test]
fn text_that_is_no_configuration_exits_2_with_its_position() {
    let (code, out) = explain("hello world\n", &[]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("\"verdict\": \"unusable\""), "{out}");
    assert!(out.contains("\"code\": \"unknown-key\"") && out.contains("\"line\": 1"), "{out}");
}

#[test]
fn a_snippet_with_an_unknown_key_fails_check_at_its_line() {
    let site = Site::new(&[(
        "content/posts/a.md",
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```yaml semdoc kafka=3.9 expect=at-most-once\nspring:\n  kafka:\n    producer:\n      acks: 0\n      retrys: 0\n```\n",
    )]);
    let out = site.semdoc(&["check"]);
    let err = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/posts/a.md:11:15: error[unknown-key]: unknown Spring Boot Kafka property `spring.kafka.producer.retrys`"), "{err}");
    assert!(err.contains("did you mean `spring.kafka.producer.retries`?"), "{err}");
}
