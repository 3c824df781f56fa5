//! Included snippets (`include=`): the services-docs fixture checked against the service files
//! beside it, each include form, errors at the including fence, diagnostics in the included file,
//! and symlinks out of the repository refused.

use crate::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The docs site and the services it includes, side by side in a sandbox (no `.git` above, so
/// the repository root is the sandbox: the site root's parent).
fn services_docs(sandbox: &Sandbox) -> PathBuf {
    copy_tree(&fixtures().join("services"), &sandbox.path().join("services"));
    let site = sandbox.path().join("services-docs");
    copy_tree(&fixtures().join("services-docs"), &site);
    site
}

/// What a run printed, stdout (`check`'s report) and stderr (`build`'s diagnostics).
fn printed(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out))
}

const YML: &str = "../services/order-service/src/main/resources/application.yml";

#[test]
fn the_services_docs_check_against_the_service_files_and_show_them() {
    let sandbox = Sandbox::new();
    let site = services_docs(&sandbox);
    let out = sandbox.run(&["build"], &site);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(site.join("public/services/index.html")).unwrap();
    // path=: the producer subtree with its enclosing keys, captioned with the file and lines.
    assert!(html.contains(&format!("<div class=\"code-file\">{YML}, lines 3, 6, 8–12</div>")), "{html}");
    // lines=: the range as asked.
    assert!(html.contains(&format!("<div class=\"code-file\">{YML}, lines 3–12</div>")), "{html}");
    assert!(html.contains("order-service</span>"), "the whole range is shown, highlighted as YAML: {html}");
    // region=: the lines between the anchors, without the anchor lines.
    assert!(html.contains("../services/notifier/app/producer.py, lines 6–10</div>"), "region caption: {html}");
    assert!(!html.contains("semdoc:start"), "anchor lines are not shown");
    // The whole file.
    assert!(html.contains("../services/edge-gateway/etc/producer.conf, lines 1–5</div>"), "{html}");
    // The table's rows are judged against the included text (row 2 is known false).
    assert_eq!(html.matches("data-claim-status=\"fail\" data-verdict=").count(), 1, "only the known-false row is red");
    assert!(html.contains("data-claim-status=\"fail\" data-verdict=\"no-guarantee\" id=\"row-t0-r2\""), "{html}");
}

#[test]
fn an_edit_to_the_service_file_turns_the_docs_red_at_the_docs_line() {
    let sandbox = Sandbox::new();
    let site = services_docs(&sandbox);
    let out = sandbox.run(&["check"], &site);
    assert!(out.status.success(), "{}", stderr(&out));
    let yml = sandbox.path().join("services/order-service/src/main/resources/application.yml");
    let text = std::fs::read_to_string(&yml).unwrap();
    std::fs::write(&yml, text.replace("      transaction-id-prefix: order-tx-\n", "      retries: 0\n")).unwrap();
    let out = sandbox.run(&["check"], &site);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = printed(&out);
    // The table row (line 35 of the page) claims exactly-once; the message names the service file.
    assert!(
        err.contains(&format!(
            "content/services.md:35:1: error[false-claim]: the row claims exactly-once but the configuration is at-most-once (from {YML}, lines 3, 6, 8–12)"
        )),
        "{err}"
    );
    // So does the snippet's own claim at its fence.
    assert!(err.contains("content/services.md:12:1: error[false-claim]"), "{err}");
}

#[test]
fn a_problem_in_the_included_file_is_reported_at_its_own_line() {
    let site = Site::new(&[(
        "content/posts/a.md",
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```yaml semdoc include=../../../svc/application.yml role=producer\n```\n",
    )]);
    let svc = site.sandbox().path().join("svc");
    std::fs::create_dir_all(&svc).unwrap();
    std::fs::write(svc.join("application.yml"), "spring:\n  kafka:\n    producer:\n      acks: 2\n").unwrap();
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = printed(&out);
    assert!(
        err.contains("../svc/application.yml:4:1: error[invalid-config]: Invalid value 2 for configuration acks"),
        "{err}"
    );
    assert!(err.contains("included by content/posts/a.md:6"), "the including page is named: {err}");
}

/// (fence info, expected diagnostic) for includes that cannot be served.
#[test]
fn missing_files_ranges_and_regions_are_errors_at_the_fence() {
    let cases = [
        ("include=../../nope.yml", "content/posts/a.md:6:16: error[include]: included file `nope.yml` does not exist"),
        (
            "include=../../svc.yml lines=4-9",
            "content/posts/a.md:6:38: error[include]: `lines=4-9` is past the end of `svc.yml`",
        ),
        (
            "include=../../svc.yml region=conf",
            "content/posts/a.md:6:38: error[include]: no region `conf` in the included file",
        ),
        (
            "include=../../svc.yml path=spring.kafka.consumer",
            "content/posts/a.md:6:38: error[include]: no `spring.kafka.consumer` in the included file: `spring.kafka` has no `consumer`",
        ),
        (
            "lines=1-2",
            "content/posts/a.md:6:16: error[include]: `lines=` selects part of an included file, but the fence has no `include=`",
        ),
    ];
    for (attrs, want) in cases {
        let site = Site::new(&[
            (
                "content/posts/a.md",
                &format!("---\ntitle: T\ndate: 2024-01-01\n---\n\n```yaml semdoc {attrs} role=producer\n```\n"),
            ),
            ("svc.yml", "spring:\n  kafka:\n    producer:\n      acks: all\n"),
        ]);
        let out = site.semdoc(&["check"]);
        assert_eq!(out.status.code(), Some(1), "{attrs}");
        let err = printed(&out);
        assert!(err.contains(want), "{attrs}: {err}");
        assert!(err.contains("hint: "), "{attrs}: a hint: {err}");
    }
}

#[test]
fn a_fence_with_its_own_text_is_warned_that_the_file_replaces_it() {
    let site = Site::new(&[
        (
            "content/posts/a.md",
            "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc include=/p.properties role=producer expect=exactly-once\nacks=0\n```\n",
        ),
        ("p.properties", "acks=all\n"),
    ]);
    let out = site.semdoc(&["check"]);
    assert!(out.status.success(), "the included text is what is checked: {}", printed(&out));
    assert!(
        printed(&out).contains(
            "content/posts/a.md:6:1: warning[include]: the fence's own text (1 line) is replaced by `p.properties`"
        ),
        "{}",
        printed(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.properties"), "acks=all\n").unwrap();
    let site = Site::new(&[(
        "content/posts/a.md",
        "---\ntitle: T\ndate: 2024-01-01\n---\n\n```properties semdoc include=../../../link/secret.properties role=producer\n```\n",
    )]);
    std::os::unix::fs::symlink(outside.path(), site.sandbox().path().join("link")).unwrap();
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = printed(&out);
    assert!(
        err.contains("content/posts/a.md:6:22: error[include]: included file `../link/secret.properties` leads through a symlink out of the repository"),
        "{err}"
    );
    assert!(!err.contains("acks=all"), "nothing of the file is shown");
}
