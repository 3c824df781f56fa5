//! Fuzz check: front matter splitting and parsing (dates, keys, YAML) of one Markdown file, and
//! the same bytes as `site.yaml`. Must never panic; problems are diagnostics.

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
}
