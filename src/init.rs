//! `semdoc init [DIR]`: scaffold a new site (config, home page, one Jekyll-named post with an
//! executable snippet and a checked table, and a GitHub workflow running `semdoc check`) that builds
//! with the embedded theme. Pure: `main` checks the directory and writes the files.

use std::path::{Path, PathBuf};

/// What `init` writes, as (path relative to the new site, text). `date` is the sample post's date
/// (`YYYY-MM-DD`) and `author` the site's author.
pub fn scaffold(date: &str, author: &str) -> Vec<(PathBuf, String)> {
    let site = format!(
        "title: 새 문서 사이트\ndescription: semdoc로 만든 사이트\nbase_url: http://127.0.0.1:1111\nlanguage: ko\nauthor: {}\ntimezone: \"+09:00\"\n",
        serde_json::to_string(author).expect("a string serializes")
    );
    let index = "---\ntitle: 홈\n---\n\nsemdoc 사이트에 오신 것을 환영합니다.\n".to_string();
    let post = format!(
        "---\ntitle: 첫 글\ndate: {date} 09:00:00 +0900\ncategories: [Kafka]\ntags: [Kafka]\n---\n\n\
## 실행되는 예제\n\n\
`semdoc` 표시가 붙은 설정 블록은 빌드할 때마다 전달 보장 분류기로 검사된다. `expect=`에 적은 보장이\n\
틀리면 빌드가 실패하고 반례를 보여 준다.\n\n\
```properties semdoc id=safe-producer role=producer kafka=3.9 expect=exactly-once\n\
acks=all\nenable.idempotence=true\n```\n\n\
## 검사되는 표\n\n\
표 앞의 `semdoc-table` 주석이 보장 수준 열(`level=1`)과 설정 열(`config=2`)을 알려 준다. 각 행의 보장이\n\
설정과 맞는지 검사된다.\n\n\
<!-- semdoc-table role=producer kafka=3.9 level=1 config=2 -->\n\
| 보장 수준 | 설정 |\n|---|---|\n\
| **At most once** | `acks=0`, `retries=0` |\n\
| **At least once** | `acks=all`, `enable.idempotence=false` |\n"
    );
    let workflow = "\
# Checks every snippet and table row on each push and pull request; problems appear as annotations.
name: docs
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install semdoc
        # Set the repository variable SEMDOC_GIT_URL to the git URL your team installs semdoc from.
        env:
          SEMDOC_GIT_URL: ${{ vars.SEMDOC_GIT_URL }}
        run: |
          : \"${SEMDOC_GIT_URL:?set the repository variable SEMDOC_GIT_URL to the git URL semdoc is installed from}\"
          cargo install --locked --git \"$SEMDOC_GIT_URL\" semdoc
      - name: Check the docs
        run: semdoc check --format github
"
    .to_string();
    vec![
        ("site.yaml".into(), site),
        ("content/index.md".into(), index),
        (format!("content/posts/{date}-first-post.md").into(), post),
        (".github/workflows/docs.yml".into(), workflow),
    ]
}

/// Why `init` must not write into a directory holding `names` (its entries), or None. Hidden
/// entries (`.git`, `.gitignore`) are fine, except a workflow file `init` would overwrite; anything
/// else is the user's and stays untouched.
pub fn refusal(dir: &Path, names: &[String], has_workflow: bool) -> Option<String> {
    let mut visible: Vec<&String> = names.iter().filter(|n| !n.starts_with('.')).collect();
    visible.sort();
    if !visible.is_empty() {
        let shown: Vec<String> = visible.iter().take(3).map(|n| format!("`{n}`")).collect();
        return Some(format!(
            "{} is not empty ({}{}); run `semdoc init` in an empty directory or name a new one: `semdoc init my-site`",
            dir.display(),
            shown.join(", "),
            if visible.len() > 3 { ", …" } else { "" }
        ));
    }
    has_workflow
        .then(|| format!("{} already has .github/workflows/docs.yml; move it away or init elsewhere", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_the_users_and_accepts_hidden_entries() {
        let d = Path::new("site");
        assert_eq!(refusal(d, &[".git".into(), ".gitignore".into()], false), None);
        let r = refusal(d, &["notes.txt".into(), ".git".into()], false).unwrap();
        assert!(r.contains("`notes.txt`") && r.contains("semdoc init my-site"), "{r}");
        assert!(refusal(d, &[".github".into()], true).unwrap().contains("docs.yml"));
    }

    #[test]
    fn the_post_is_jekyll_named_and_the_site_has_an_author() {
        let files = scaffold("2026-12-02", "Ada");
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(names.contains(&"content/posts/2026-12-02-first-post.md".to_string()), "{names:?}");
        assert!(names.contains(&".github/workflows/docs.yml".to_string()), "{names:?}");
        assert!(files[0].1.contains("author: \"Ada\""), "{}", files[0].1);
    }
}
