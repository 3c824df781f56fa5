//! `semdoc explain`'s flags: a bad snippet option given on the command line is a usage error
//! naming the flag and the allowed values (exit 2), not a diagnostic at "line 0" of the snippet.

use crate::*;

#[test]
fn bad_option_values_on_the_command_line_are_usage_errors() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("p.properties"), "acks=all\n").unwrap();
    for (flag, value, allowed) in [
        ("--kafka", "99", "a Kafka version from 2.0 to 4.x"),
        ("--kafka", "5.0", "a Kafka version from 2.0 to 4.x"),
        ("--client", "erlang", "java, librdkafka"),
        ("--faults", "cosmic-rays", "kafka-promise, power-loss"),
        ("--role", "broker", "producer, consumer, pipeline"),
        ("--commit", "sometimes", "auto, before-processing, after-processing, transactional"),
        ("--lang", "cobol", "properties, yaml, java, kotlin, python, rust"),
    ] {
        let out = sandbox.run(&["explain", flag, value, "p.properties"], dir);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(&format!("error: invalid value '{value}' for '{flag} ")), "{flag} {value}: {err}");
        assert!(err.contains(&format!("allowed: {allowed}")), "{flag} {value}: {err}");
        assert!(!err.contains("line 0") && out.stdout.is_empty(), "{flag} {value}: no verdict, no line 0: {err}");
    }
}

#[test]
fn good_option_values_on_the_command_line_reach_the_classifier() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("p.properties"), "request.required.acks=0\n").unwrap();
    let explain = |args: &[&str]| {
        let mut all = vec!["explain", "--format", "json"];
        all.extend_from_slice(args);
        all.push("p.properties");
        let out = sandbox.run(&all, dir);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // The Java client ignores librdkafka's name; librdkafka reads it (as the playground test says).
    let java = explain(&["--kafka", "3.9", "--role", "producer", "--faults", "kafka-promise"]);
    assert_eq!((java["verdict"].as_str(), java["kafka"].as_str()), (Some("exactly-once"), Some("3.9")), "{java}");
    let rdk = explain(&["--kafka", "3.9", "--client", "librdkafka", "--lang", "properties"]);
    assert_eq!((rdk["verdict"].as_str(), rdk["client"].as_str()), (Some("at-most-once"), Some("librdkafka")), "{rdk}");
    let power = explain(&["--kafka", "3.9", "--client", "librdkafka", "--faults", "power-loss"]);
    assert_eq!(power["faults"].as_str(), Some("power-loss"), "{power}");
    let consumer = explain(&["--role", "consumer", "--commit", "after-processing"]);
    assert_eq!(consumer["role"].as_str(), Some("consumer"), "{consumer}");
}

/// "can become unavailable" is explained in one sentence, and only when the model found it
/// (issue #21); a consumer's model (a committed log) has no partition to lose.
#[test]
fn unavailability_is_explained_when_it_can_happen() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("a.properties"), "acks=all\n").unwrap();
    std::fs::write(dir.join("u.properties"), "group.id=g\nenable.auto.commit=true\n").unwrap();
    let text = String::from_utf8_lossy(&sandbox.run(&["explain", "a.properties"], dir).stdout).into_owned();
    assert!(text.contains(" · can become unavailable\n"), "{text}");
    assert!(
        text.contains("can become unavailable: within the fault bounds the partition can be left with no leader"),
        "{text}"
    );
    let text = String::from_utf8_lossy(&sandbox.run(&["explain", "u.properties"], dir).stdout).into_owned();
    assert!(!text.contains("unavailable"), "{text}");
}

#[test]
fn unbounded_input_is_refused_and_repeated_problems_are_counted() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    // /dev/zero never ends: read up to the limit, then refused (it once grew to 5.5 GB).
    let out = sandbox.run(&["explain", "/dev/zero"], dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("line 1: error[parse]: this is larger than 1024 KiB"), "{text}");
    // 40 000 unknown keys (under the size limit): 20 listed, the rest counted in one line.
    let many: String = (0..40_000).map(|i| format!("unknown.key{i}=v\n")).collect();
    std::fs::write(dir.join("many.properties"), many).unwrap();
    let out = sandbox.run(&["explain", "many.properties"], dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("error[unknown-key]: unknown Kafka key").count(), 20, "{text}");
    assert!(text.contains("line 21: error[unknown-key]: and 39980 more `unknown-key` problem(s)"), "{text}");
    assert!(text.len() < 20_000, "{} bytes of output", text.len());
}
