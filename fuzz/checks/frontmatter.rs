//! Fuzz check: front matter splitting and parsing (dates, keys, YAML) of one Markdown file, and
//! the same bytes as `site.yaml` and as a Jekyll site's `_config.yml` (with the file as a post, a
//! tab and a page: defaults, permalinks, dates). Must never panic; problems are diagnostics.

use semdoc::config::{self, Config};
use semdoc::content::{self, MdSource, SiteSource};
use std::path::{Path, PathBuf};

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let (cfg, _) = config::load_config(&text, Path::new("site.yaml"), None);
    let src = SiteSource {
        markdown: vec![
            MdSource::new(PathBuf::from("posts/2024-01-01-fuzz.md"), text.clone()),
            MdSource::new(PathBuf::from("about.md"), text),
        ],
        ..Default::default()
    };
    let _ = content::parse_pages(&src, &cfg, true);
    let _ = content::parse_pages(&src, &Config::default(), false);
    let (jekyll_cfg, _, _) = content::jekyll::load_config(&text_of(&src), None);
    let jekyll_src = SiteSource {
        layout: content::Layout::Jekyll,
        markdown: vec![
            MdSource::new(PathBuf::from("_posts/2024-01-01-fuzz.md"), text_of(&src)),
            MdSource::new(PathBuf::from("_tabs/fuzz.md"), text_of(&src)),
            MdSource::new(PathBuf::from("about.md"), text_of(&src)),
        ],
        ..Default::default()
    };
    let _ = content::parse_pages(&jekyll_src, &jekyll_cfg, true);
}

fn text_of(src: &SiteSource) -> String {
    src.markdown[1].text.to_string()
}
