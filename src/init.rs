//! `semdoc init DIR`: scaffold a new site (config, home page, one post) that builds with the embedded theme.

use anyhow::{Context, bail};
use std::path::Path;

const SITE_YAML: &str = "title: 새 문서 사이트\ndescription: semdoc로 만든 사이트\nbase_url: http://127.0.0.1:1111\nlanguage: ko\nauthor: \"\"\ntimezone: \"+09:00\"\n";
const INDEX_MD: &str = "---\ntitle: 홈\n---\n\nsemdoc 사이트에 오신 것을 환영합니다.\n";
const POST_MD: &str = "---\ntitle: 첫 글\ndate: 2024-01-01 09:00:00 +0900\ncategories: [Kafka]\ntags: [Kafka]\n---\n\n## 시작하기\n\n`content/posts/`에 Markdown 파일을 추가하세요.\n\n```properties\nacks=all\n```\n";

/// Create `dir` with a minimal site. Refuses to touch a directory that already has content.
pub fn init_site(dir: &Path) -> anyhow::Result<()> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        bail!("{} already contains a site (site.yaml or content/); choose an empty directory", dir.display());
    }
    std::fs::create_dir_all(dir.join("content/posts")).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join("site.yaml"), SITE_YAML)?;
    std::fs::write(dir.join("content/index.md"), INDEX_MD)?;
    std::fs::write(dir.join("content/posts/first-post.md"), POST_MD)?;
    Ok(())
}
