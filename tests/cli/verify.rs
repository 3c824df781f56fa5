//! Executable docs: snippets and guarantee-table rows checked at build time; `semdoc check` formats.

use crate::*;

const TABLE_OK: &str = "---\ntitle: T\ndate: 2024-01-01\n---\n\n## 정리\n\n<!-- semdoc-table role=producer kafka=2.8 level=1 config=2 -->\n| 수준 | 설정 |\n|---|---|\n| **At most once** | `acks=0`<br>`retries=0` |\n| **At least once** | `acks=all` |\n";

fn site_with(post: &str) -> Site {
    Site::new(&[("content/posts/a.md", post)])
}

#[test]
fn a_false_row_fails_the_build_at_its_line_and_keeps_the_old_site() {
    let site = site_with(TABLE_OK);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read("public/posts/a/index.html");
    assert_eq!(html.matches("data-claim-status=\"pass\" data-verdict=").count(), 2, "rows carry status and verdict");
    assert!(html.contains("data-verdict=\"at-most-once\"") && html.contains("data-verdict=\"at-least-once\""));
    assert!(html.contains("class=\"badge badge-pass\""), "visible badge");
    assert!(
        html.contains("href=\"#evidence-t0-r1\"") && html.contains("id=\"evidence-t0-r1\""),
        "link to the row's evidence"
    );
    assert!(html.contains("<caption>버전·장애 모델별 판정</caption>"), "verdict across versions and fault models");
    let before = snapshot(&site.root().join("public"));
    // Row 2 now claims exactly once for a configuration that only gives at least once.
    site.write(
        "content/posts/a.md",
        &TABLE_OK.replace("| **At least once** | `acks=all` |", "| **Exactly once** | `acks=all` |"),
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/posts/a.md:12:1: error[false-claim]: the row claims exactly-once but the configuration is at-least-once"), "{err}");
    // The hint leads with the smallest change the model proves, then the counterexample.
    assert!(
        err.contains(
            "hint: set `enable.idempotence=true` (the model then proves exactly-once); counterexample (1 fault)"
        ),
        "{err}"
    );
    assert_eq!(snapshot(&site.root().join("public")), before, "nothing false is published");
}

#[test]
fn a_snippet_with_a_bad_value_fails_at_the_value_line() {
    let site = site_with(
        "---\ntitle: T\ndate: 2024-01-01\n---\n\ntext\n\n```properties semdoc role=producer kafka=3.9 expect=at-least-once\nbootstrap.servers=x\nacks=2\n```\n",
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/posts/a.md:10:1: error[invalid-config]: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1"), "{err}");
}

#[test]
fn expect_invalid_config_passes_and_a_failed_expectation_reports_the_fence() {
    let site = site_with(
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=3.9 expect=invalid-config\ntransactional.id=t\nacks=1\n```\n\n```properties semdoc kafka=2.8 expect=exactly-once\nacks=1\n```\n",
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains(":6:"), "the invalid-config expectation holds: {err}");
    assert!(
        err.contains(
            "content/posts/a.md:11:1: error[false-claim]: claimed exactly-once, but the configuration is no-guarantee"
        ),
        "{err}"
    );
}

#[test]
fn unknown_kafka_key_fails_with_a_suggestion() {
    // An unknown key is an error: a guarantee computed without it would not be proven.
    let site = site_with(
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=2.8 expect=at-least-once\nack=all\nacks=all\n```\n",
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/posts/a.md:7:1: error[unknown-key]: unknown Kafka key `ack`"), "{err}");
    assert!(err.contains("hint: did you mean `acks`?"), "{err}");
}

#[test]
fn a_broken_internal_anchor_fails() {
    let site = site_with(
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n## 정리\n\n[ok](#정리) [ok2](/posts/a/#%EC%A0%95%EB%A6%AC) [bad](#요약) [gone](/posts/nope/)\n",
    );
    // `build` writes pages as they render and reads the linked ones back for their ids; `check`
    // keeps them in memory. Both must accept the good anchors and reject the bad ones.
    for cmd in ["check", "build"] {
        let out = site.semdoc(&[cmd]);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        // `check` reports on stdout, `build` logs on stderr.
        let err = if cmd == "check" { String::from_utf8_lossy(&out.stdout).into_owned() } else { stderr(&out) };
        assert!(
            err.contains("content/posts/a.md:8:") && err.contains("error[broken-anchor]") && err.contains("`요약`"),
            "{cmd}: {err}"
        );
        assert!(err.contains("error[broken-link]") && err.contains("/posts/nope/"), "{cmd}: {err}");
        assert_eq!(err.matches("error[broken").count(), 2, "{cmd}: {err}");
    }
    assert!(!site.root().join("public").exists(), "a failed build writes no output directory");
    let leftovers = names_containing(site.root(), "semdoc-new");
    assert!(leftovers.is_empty(), "the staging directory is removed: {leftovers:?}");
}

#[test]
fn a_diagram_is_drawn_for_each_failing_property() {
    let site = site_with(
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc id=p role=producer kafka=2.8 expect=no-guarantee\nacks=1\n```\n",
    );
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read("public/posts/a/index.html");
    assert!(html.contains("id=\"snippet-p\" data-verdict=\"no-guarantee\""), "verdict on the snippet");
    assert_eq!(html.matches("<svg class=\"sd-seq\"").count(), 2, "one diagram for no-loss, one for no-duplicate");
    assert!(html.contains("유실 없음(no-loss) 위반") && html.contains("중복 없음(no-duplicate) 위반"));
    assert!(html.contains("실제 적용되는 설정"), "effective config shown");
}

#[test]
fn check_formats() {
    let site = site_with(TABLE_OK);
    let json = site.semdoc(&["check", "--format", "json"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["cases"].as_array().unwrap().len(), 2);
    let junit = String::from_utf8(site.semdoc(&["check", "--format", "junit"]).stdout).unwrap();
    assert!(junit.contains("<testcase name=\"content/posts/a.md:11: producer at-most-once\""), "{junit}");
    assert!(junit.contains("<testcase name=\"content/posts/a.md:12: producer at-least-once\""), "{junit}");
    site.write("content/posts/a.md", &TABLE_OK.replace("`acks=all` |", "`acks=1` |"));
    let gh = site.semdoc(&["check", "--format", "github"]);
    assert_eq!(gh.status.code(), Some(1));
    let gh = String::from_utf8(gh.stdout).unwrap();
    assert!(
        gh.starts_with(
            "::error file=content/posts/a.md,line=12,col=1,title=semdoc false-claim::the row claims at-least-once"
        ),
        "{gh}"
    );
    let junit = String::from_utf8(site.semdoc(&["check", "--format", "junit"]).stdout).unwrap();
    assert!(junit.contains("<failure message=\"claimed at-least-once, verdict no-guarantee\""), "{junit}");
    // One false row is one failing test case: its false-claim error is inside it, not a second error.
    assert!(
        junit.contains(r#"<testsuites name="semdoc check" tests="2" skipped="0" failures="1" errors="0""#),
        "{junit}"
    );
    assert!(junit.contains("error[false-claim]: the row claims at-least-once"), "{junit}");
    // The human report is the command's output: on stdout, with the summary; stderr stays empty.
    let out = site.semdoc(&["check"]);
    let human = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(human.contains("12 | | **At least once** | `acks=1` |"), "source excerpt: {human}");
    assert!(human.contains("semdoc: checked 6 pages, 2 claims (1 failed)"), "{human}");
    assert_eq!(stderr(&out), "", "nothing but the report is printed");
}

#[test]
fn bundled_site_checks_clean_with_a_case_per_row_and_snippet() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Sandbox::new().run(&["check", "--format", "junit"], repo);
    assert!(out.status.success(), "{}", stderr(&out));
    let junit = String::from_utf8(out.stdout.clone()).unwrap();
    let article = std::fs::read_to_string(repo.join("content/posts/2024-08-03-kafka-delivery-semantics.md")).unwrap();
    let snippets =
        article.lines().filter(|l| l.starts_with("```") && l.split_whitespace().nth(1) == Some("semdoc")).count();
    assert_eq!(junit.matches("<testcase ").count(), snippets + 6, "one case per snippet and per table row");
    assert!(stderr(&out).contains("0 errors, 0 warnings"), "{}", stderr(&out));
}

#[test]
fn the_article_keeps_every_line_of_the_users_prose_in_order() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = std::fs::read_to_string(repo.join("tests/fixtures/article/source.md")).unwrap();
    let post = std::fs::read_to_string(repo.join("content/posts/2024-08-03-kafka-delivery-semantics.md")).unwrap();
    let mut lines = post.lines();
    for l in seed.lines() {
        assert!(lines.any(|p| p == l), "the user's line is missing or out of order: {l}");
    }
}

/// Issue #21: the JUnit report has the structure Jenkins and GitHub test reporters read
/// (`testsuites` > `testsuite` > `testcase` with `failure`/`error`), every `tests`/`failures`/`errors`
/// attribute equals what its children say, and its cases are the claims plus the problems that
/// belong to no claim (here a broken link): a false row, an invalid snippet and a broken link are
/// three problems, counted once each.
#[test]
fn junit_structure_and_counts_are_what_reporters_read() {
    use quick_xml::events::Event;
    let post = format!(
        "{}\n```properties semdoc role=producer kafka=2.8\nacks=2\n```\n\n[gone](/posts/nope/)\n",
        TABLE_OK.replace("`acks=all` |", "`acks=1` |")
    );
    let site = site_with(&post);
    let out = site.semdoc(&["check", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&site.semdoc(&["check", "--format", "json"]).stdout).unwrap();
    let claims = json["cases"].as_array().unwrap().len();
    let unowned = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d.get("case").is_none())
        .count();
    assert_eq!((claims, unowned), (3, 1), "two rows and a snippet; the broken link belongs to none: {json}");

    // (tests, failures, errors) as declared by an element, and as counted from its children.
    type Counts = (usize, usize, usize);
    fn declared(e: &quick_xml::events::BytesStart) -> Counts {
        let get = |name: &str| -> usize {
            let a = e.try_get_attribute(name).unwrap().unwrap_or_else(|| panic!("`{name}` missing"));
            std::str::from_utf8(&a.value).unwrap().parse().unwrap()
        };
        (get("tests"), get("failures"), get("errors"))
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut path: Vec<String> = vec![];
    let (mut root_declared, mut suite_declared): (Counts, Counts) = Default::default();
    let (mut total, mut in_suite): (Counts, Counts) = Default::default();
    let mut suites = 0;
    loop {
        let (e, empty) = match reader.read_event().unwrap() {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.name().as_ref() == b"testsuite" {
                    assert_eq!(suite_declared, in_suite, "a testsuite's attributes match its cases: {xml}");
                }
                path.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let parent = path.last().cloned();
        let parent = parent.as_deref();
        let count = |c: &mut Counts, which: usize| match which {
            0 => c.0 += 1,
            1 => c.1 += 1,
            _ => c.2 += 1,
        };
        match name.as_str() {
            "testsuites" => {
                assert_eq!(parent, None, "{xml}");
                root_declared = declared(&e);
            }
            "testsuite" => {
                assert_eq!(parent, Some("testsuites"), "{xml}");
                suites += 1;
                suite_declared = declared(&e);
                in_suite = Counts::default();
                if empty {
                    assert_eq!(suite_declared, in_suite, "{xml}");
                }
            }
            "testcase" => {
                assert_eq!(parent, Some("testsuite"), "{xml}");
                count(&mut total, 0);
                count(&mut in_suite, 0);
            }
            "failure" | "error" => {
                assert_eq!(parent, Some("testcase"), "{xml}");
                let which = if name == "failure" { 1 } else { 2 };
                count(&mut total, which);
                count(&mut in_suite, which);
            }
            _ => {}
        }
        if !empty {
            path.push(name);
        }
    }
    assert!(suites >= 3, "snippets, table rows and diagnostics suites: {xml}");
    assert_eq!(root_declared, total, "testsuites' attributes match its cases: {xml}");
    assert_eq!(total.0, claims + unowned, "one test case per claim and per problem of no claim: {xml}");
    assert_eq!((total.1, total.2), (2, 1), "the false row and the invalid snippet fail; the link errs: {xml}");
}

/// Issue #21: `-q` prints only errors (no warnings, no summary), `-v` lists every claim with its
/// verdict; machine formats are the same either way.
#[test]
fn quiet_and_verbose() {
    // The snippet claims at-least-once for an exactly-once config: true, with a weaker-claim warning.
    let site = site_with(&format!(
        "{TABLE_OK}\n```properties semdoc role=producer kafka=3.9 expect=at-least-once\nacks=all\nenable.idempotence=true\n```\n"
    ));
    let normal = site.semdoc(&["check"]);
    let normal_out = String::from_utf8_lossy(&normal.stdout).into_owned();
    assert!(normal.status.success(), "{normal_out}");
    assert!(normal_out.contains("warning[") && normal_out.contains("semdoc: checked"), "{normal_out}");
    let quiet = site.semdoc(&["check", "-q"]);
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "", "no warnings, no summary");
    assert_eq!(stderr(&quiet), "");
    let verbose = String::from_utf8(site.semdoc(&["-v", "check"]).stdout).unwrap();
    assert!(verbose.contains("ok   content/posts/a.md:11: producer at-most-once (verdict at-most-once)"), "{verbose}");
    assert!(verbose.contains("producer at-least-once (verdict exactly-once)"), "{verbose}");
    assert!(verbose.contains("ok   content/posts/a.md:12: producer at-least-once"), "{verbose}");
    let json = |args: &[&str]| {
        let v: serde_json::Value = serde_json::from_slice(&site.semdoc(args).stdout).unwrap();
        v
    };
    assert_eq!(json(&["check", "--format", "json"]), json(&["check", "-q", "--format", "json"]));
    let build = site.semdoc(&["build", "-q"]);
    assert!(build.status.success());
    assert_eq!(stderr(&build), "", "a quiet successful build says nothing");
    assert!(stderr(&site.semdoc(&["build", "-v"])).contains("ms"), "stage times");
}

/// The fence's `ignore=` lists keys that are no Kafka setting, as `semdoc.ignore=` inside the
/// snippet does: they are listed once as ignored, and any other unknown key is still an error.
#[test]
fn the_ignore_attribute_lists_non_kafka_keys_and_nothing_else() {
    let post = "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc ignore=my.app.*,other.key expect=exactly-once\nacks=all\nmy.app.x=1\nother.key=2\n```\n";
    let site = site_with(post);
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = site.read("public/posts/a/index.html");
    assert!(
        html.contains("ignored 2 non-Kafka keys: my.app.x (line 2), other.key (line 3)"),
        "the page lists the ignored keys"
    );
    site.write("content/posts/a.md", &post.replace("other.key=2", "other.key=2\nthird=3"));
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("content/posts/a.md:10:1: error[unknown-key]: unknown Kafka key `third`"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A typo in an attribute's value is a `snippet-attr` error at the value's column with "did you
/// mean", not a false claim (issue #21); with one attribute wrong, no verdict is judged on defaults.
#[test]
fn a_bad_attribute_value_is_an_attribute_error_at_its_column() {
    let post = "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc role=prodcer kafka=9.9 expect=exactly-one\nacks=all\n```\n";
    let site = site_with(post);
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("content/posts/a.md:6:27: error[snippet-attr]: `role=prodcer` is not a valid value"),
        "{text}"
    );
    assert!(text.contains("hint: did you mean `producer`? allowed: producer, consumer, pipeline"), "{text}");
    assert!(text.contains("content/posts/a.md:6:41: error[snippet-attr]: `kafka=9.9` is not a valid value"), "{text}");
    assert!(text.contains("hint: allowed: a Kafka version from 2.0 to 4.x"), "no guess inside prose: {text}");
    assert!(
        text.contains("content/posts/a.md:6:52: error[snippet-attr]: `expect=exactly-one` is not a valid value"),
        "{text}"
    );
    assert!(text.contains("hint: did you mean `exactly-once`?"), "{text}");
    assert!(!text.contains("false-claim") && !text.contains("error[kafka]"), "the root cause only: {text}");
    assert_eq!(text.matches(": error[").count(), 3, "{text}");
}

/// `profile=` on a YAML fence picks the Spring profile whose documents are read: the same
/// application.yml is exactly-once for the default profile and a false claim for `local`.
#[test]
fn the_profile_attribute_selects_springs_profile_documents() {
    let yml = "spring:\n  kafka:\n    producer:\n      acks: all\n---\nspring:\n  config:\n    activate:\n      on-profile: local\n  kafka:\n    producer:\n      acks: 0\n";
    let post =
        format!("---\ntitle: T\ndate: 2024-01-01\n---\n\n```yaml semdoc kafka=3.7 expect=exactly-once\n{yml}```\n");
    let site = site_with(&post);
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        report.contains("content/posts/a.md:15:19: warning[kafka]: YAML document 2 applies only with profile `local`"),
        "{report}"
    );
    site.write("content/posts/a.md", &post.replace("kafka=3.7", "kafka=3.7 profile=local"));
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("false-claim"), "{}", String::from_utf8_lossy(&out.stdout));
}

/// `membership=` on the fence says how the consumer joins its partitions when the snippet shows no
/// code: under `subscribe` a stale member's commit is rejected (at-most-once holds), under
/// `assign` it is accepted (a rebalance can duplicate).
#[test]
fn the_membership_attribute_decides_the_stale_member_case() {
    let post = |m: &str| {
        format!(
            "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc role=consumer commit=before-processing membership={m} expect=at-most-once\nenable.auto.commit=false\n```\n"
        )
    };
    let site = site_with(&post("subscribe"));
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    site.write("content/posts/a.md", &post("assign"));
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("false-claim"), "{}", String::from_utf8_lossy(&out.stdout));
    site.write("content/posts/a.md", &post("asign"));
    let out = site.semdoc(&["check"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("did you mean `assign`"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
