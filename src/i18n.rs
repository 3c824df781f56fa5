//! The site's own language: the interface strings of the default theme and of the HTML semdoc writes
//! (ko and en, one table each, looked up by key), Korean particle choice, and display dates.
//!
//! Templates get the whole table as `t` (`{{ t.toc }}`); the scripts get the `js.*` keys as a JSON
//! object in the page (`<script id="semdoc-i18n" type="application/json">`), so no string is kept
//! twice.

use chrono::{DateTime, Datelike, FixedOffset};
use std::collections::BTreeMap;

/// A language semdoc's interface speaks. `site.yaml`'s `language:` picks one (see `Lang::parse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

/// The `language:` values semdoc has strings for.
pub const SUPPORTED: &[&str] = &["ko", "en"];

impl Lang {
    /// `ko`, `en`, or a region/script variant of them (`en-US`, `ko_KR`); anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a `language:` value, English for one semdoc has no strings for (config
    /// reports that value, see `config::load`).
    pub fn of(s: &str) -> Lang {
        Lang::parse(s).unwrap_or(Lang::En)
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::Ko => KO,
            Lang::En => EN,
        }
    }

    /// The string for `key`. Both tables have the same keys (a unit test checks); an unknown key is a
    /// programming error, shown as the key itself rather than a panic.
    pub fn t(self, key: &str) -> &'static str {
        match self.table().iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v,
            None => {
                debug_assert!(false, "no interface string `{key}`");
                "?"
            }
        }
    }

    /// The whole table, for templates (`t`).
    pub fn map(self) -> BTreeMap<&'static str, &'static str> {
        self.table().iter().copied().collect()
    }

    /// The `js.*` strings without their prefix, for the scripts.
    pub fn js_json(self) -> String {
        let m: BTreeMap<&str, &str> =
            self.table().iter().filter_map(|(k, v)| k.strip_prefix("js.").map(|k| (k, *v))).collect();
        serde_json::to_string(&m).unwrap_or_else(|_| "{}".into()).replace("</", "<\\/")
    }

    /// A display date: ko `2024년 9월 10일`, en `September 10, 2024`.
    pub fn date(self, d: &DateTime<FixedOffset>) -> String {
        match self {
            Lang::Ko => format!("{}년 {}월 {}일", d.year(), d.month(), d.day()),
            Lang::En => format!("{} {}, {}", MONTHS[d.month0() as usize], d.day(), d.year()),
        }
    }

    /// "1 fault" / "장애 1번".
    pub fn faults(self, n: u8) -> String {
        match self {
            Lang::Ko => format!("장애 {n}번"),
            Lang::En if n == 1 => "1 fault".into(),
            Lang::En => format!("{n} faults"),
        }
    }

    /// "6 steps, 1 fault" / "6 단계, 장애 1번" (a diagram's description).
    pub fn steps_faults(self, steps: usize, faults: u8) -> String {
        match self {
            Lang::Ko => format!("{steps} 단계, {}", self.faults(faults)),
            Lang::En => format!("{steps} steps, {}", self.faults(faults)),
        }
    }

    /// The model checker's search bounds.
    pub fn bounds(
        self,
        faults: impl std::fmt::Display,
        messages: impl std::fmt::Display,
        states: impl std::fmt::Display,
    ) -> String {
        match self {
            Lang::Ko => format!("탐색 범위: 장애 ≤{faults}번, 메시지 {messages}개, 상태 {states}개 탐색"),
            Lang::En => format!("Search bounds: ≤{faults} faults, {messages} messages, {states} states explored"),
        }
    }

    /// Why a row holds: every state in bounds was explored and none breaks `property`.
    pub fn holds_because(self, states: u64, property: &str) -> String {
        match self {
            Lang::Ko => format!(
                "모델 검사기가 범위 안의 모든 상태({states}개)를 탐색했고 {} 깨는 실행을 찾지 못했습니다.",
                object(property)
            ),
            Lang::En => format!(
                "The model checker explored every state within the bounds ({states}) and found no run that breaks {property}."
            ),
        }
    }

    /// The summary line of a table row's evidence.
    pub fn row_summary(self, n: usize, claim: &str) -> String {
        match self {
            Lang::Ko => format!("{n}행 — 주장 <strong>{claim}</strong>, 판정"),
            Lang::En => format!("Row {n}: claims <strong>{claim}</strong>, verdict"),
        }
    }

    /// "There are no {things} yet." for a taxonomy list without terms.
    pub fn none_yet(self, things: &str) -> String {
        match self {
            Lang::Ko => format!("아직 {} 없습니다.", subject(things)),
            Lang::En => format!("No {} yet.", things.to_lowercase()),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether the last letter of `word` ends in a consonant when read in Korean: a Hangul syllable
/// with a final consonant (batchim: `(code - 0xAC00) % 28 != 0`), a digit read in Sino-Korean
/// (일 삼 육 칠 팔 십 … end in one; 이 사 오 구 do not), and for Latin letters their Korean names
/// (`l`, `m`, `n`, `r` end in one: 엘 엠 엔 알). `None` when the word ends in something else
/// (punctuation, other scripts), where callers rephrase instead.
pub fn has_batchim(word: &str) -> Option<bool> {
    let c = word.trim_end_matches([')', '`', '"', '\'']).chars().last()?;
    match c {
        '가'..='힣' => Some(!(c as u32 - 0xAC00).is_multiple_of(28)),
        '0' | '1' | '3' | '6' | '7' | '8' => Some(true),
        '2' | '4' | '5' | '9' => Some(false),
        'l' | 'm' | 'n' | 'r' | 'L' | 'M' | 'N' | 'R' => Some(true),
        c if c.is_ascii_alphabetic() => Some(false),
        _ => None,
    }
}

fn with_particle(word: &str, after_consonant: &str, after_vowel: &str) -> String {
    match has_batchim(word) {
        Some(true) => format!("{word}{after_consonant}"),
        Some(false) => format!("{word}{after_vowel}"),
        None => format!("{word}{after_consonant}({after_vowel})"),
    }
}

/// `word` with the object particle: `유실 없음을`, `태그를`.
pub fn object(word: &str) -> String {
    with_particle(word, "을", "를")
}

/// `word` with the subject particle: `카테고리가`, `설정이`.
pub fn subject(word: &str) -> String {
    with_particle(word, "이", "가")
}

/// `word` with the topic particle: `설정은`, `카프카는`.
pub fn topic(word: &str) -> String {
    with_particle(word, "은", "는")
}

static KO: &[(&str, &str)] = &[
    ("home", "홈"),
    ("search", "검색"),
    ("playground", "놀이터"),
    ("tags", "태그"),
    ("categories", "카테고리"),
    ("skip_to_content", "본문으로 건너뛰기"),
    ("main_menu", "주 메뉴"),
    ("toggle_dark", "다크 모드 전환"),
    ("generated_by", "semdoc로 생성"),
    ("atom_feed", "Atom 피드"),
    ("back_to_top", "맨 위로 ↑"),
    ("page_prefix", ""),
    ("page_suffix", "쪽"),
    ("recent_posts", "최근 글"),
    ("no_posts", "아직 글이 없습니다."),
    ("taxonomies", "분류"),
    ("pages", "페이지"),
    ("prev", "← 이전"),
    ("next", "다음 →"),
    ("min_read", "분 분량"),
    ("toc", "목차"),
    ("not_found", "페이지를 찾을 수 없습니다"),
    ("not_found_body", "요청한 주소에 페이지가 없습니다. 주소가 바뀌었거나 삭제되었을 수 있습니다."),
    ("not_found_home", "홈으로 돌아가기"),
    ("not_found_elsewhere", "다른 곳에서 찾아보세요:"),
    ("search_term", "검색어"),
    ("search_placeholder", "예: 멱등성, enable.idempotence, acks=all"),
    ("search_needs_js", "검색에는 JavaScript가 필요합니다."),
    ("terms_prefix", ""),
    ("terms_suffix", "개의 "),
    ("posts_prefix", "글 "),
    ("posts_suffix", "개"),
    ("breadcrumb", "위치"),
    ("heading_link", "이 제목으로 바로 가는 링크"),
    ("violates_no_loss", "유실 없음(no-loss) 위반"),
    ("violates_no_duplicate", "중복 없음(no-duplicate) 위반"),
    ("violates_no_reorder", "순서 보장(no-reorder) 위반"),
    ("fault", "장애"),
    ("counterexample", "반례"),
    ("steps_as_text", "단계를 글로 보기"),
    ("try_it", "놀이터에서 해 보기"),
    ("try_it_title", "이 설정을 놀이터에서 바꿔 보기"),
    ("effective_config", "실제 적용되는 설정 (effective config)"),
    ("semdoc_verdict", "semdoc 판정: "),
    ("matches", "일치"),
    ("mismatch", "불일치"),
    ("holds", "성립"),
    ("does_not_hold", "불성립"),
    ("fault_model", "장애 모델"),
    ("client_rejects", "클라이언트가 거부하는 설정: "),
    ("cannot_deliver", "메시지를 전달할 수 없는 설정: "),
    ("known_false", "알려진 오류: 원문 유지"),
    ("semdoc_check", "semdoc 검증"),
    ("table_evidence", "표 검증 근거"),
    ("matrix_caption", "버전·장애 모델별 판정"),
    ("no_loss", "유실 없음"),
    ("no_duplicate", "중복 없음"),
    ("no_loss_and_no_duplicate", "유실 없음과 중복 없음"),
    ("any_property", "아무 속성"),
    ("og_locale", "ko_KR"),
    ("post_nav", "이전 글과 다음 글"),
    ("newer_post", "← 다음 글"),
    ("older_post", "이전 글 →"),
    ("js.results", "개의 결과"),
    ("js.no_results", "결과가 없습니다"),
    ("js.to_light", "라이트 모드로 전환"),
    ("js.to_dark", "다크 모드로 전환"),
    ("js.copy_code", "코드 복사"),
    ("js.copy", "복사"),
    ("js.copied", "복사됨"),
    ("js.copied_live", "코드를 복사했습니다"),
    ("js.copy_failed", "복사 실패"),
    ("js.copy_failed_live", "코드를 복사하지 못했습니다"),
];

static EN: &[(&str, &str)] = &[
    ("home", "Home"),
    ("search", "Search"),
    ("playground", "Playground"),
    ("tags", "Tags"),
    ("categories", "Categories"),
    ("skip_to_content", "Skip to content"),
    ("main_menu", "Main menu"),
    ("toggle_dark", "Toggle dark mode"),
    ("generated_by", "Generated by semdoc"),
    ("atom_feed", "Atom feed"),
    ("back_to_top", "Back to top ↑"),
    ("page_prefix", "page "),
    ("page_suffix", ""),
    ("recent_posts", "Recent posts"),
    ("no_posts", "No posts yet."),
    ("taxonomies", "Taxonomies"),
    ("pages", "Pages"),
    ("prev", "← Previous"),
    ("next", "Next →"),
    ("min_read", " min read"),
    ("toc", "Contents"),
    ("not_found", "Page not found"),
    ("not_found_body", "There is no page at this address. It may have moved or been removed."),
    ("not_found_home", "Back to the home page"),
    ("not_found_elsewhere", "Look elsewhere:"),
    ("search_term", "Search terms"),
    ("search_placeholder", "e.g. idempotence, enable.idempotence, acks=all"),
    ("search_needs_js", "Search needs JavaScript."),
    ("terms_prefix", ""),
    ("terms_suffix", " "),
    ("posts_prefix", ""),
    ("posts_suffix", " posts"),
    ("breadcrumb", "Breadcrumb"),
    ("heading_link", "Link to this heading"),
    ("violates_no_loss", "violates no-loss"),
    ("violates_no_duplicate", "violates no-duplicate"),
    ("violates_no_reorder", "violates no-reorder"),
    ("fault", "fault"),
    ("counterexample", "Counterexample"),
    ("steps_as_text", "Steps as text"),
    ("try_it", "Try it in the playground"),
    ("try_it_title", "Change this configuration in the playground"),
    ("effective_config", "Effective configuration"),
    ("semdoc_verdict", "semdoc verdict: "),
    ("matches", "matches"),
    ("mismatch", "does not match"),
    ("holds", "holds"),
    ("does_not_hold", "does not hold"),
    ("fault_model", "fault model"),
    ("client_rejects", "The client rejects this configuration: "),
    ("cannot_deliver", "This configuration cannot deliver messages: "),
    ("known_false", "Known error: text kept as written"),
    ("semdoc_check", "semdoc check"),
    ("table_evidence", "Evidence for the table"),
    ("matrix_caption", "Verdict by version and fault model"),
    ("no_loss", "no loss"),
    ("no_duplicate", "no duplicate"),
    ("no_loss_and_no_duplicate", "no loss and no duplicate"),
    ("any_property", "any property"),
    ("og_locale", "en_US"),
    ("post_nav", "Newer and older posts"),
    ("newer_post", "← Newer"),
    ("older_post", "Older →"),
    ("js.results", " results"),
    ("js.no_results", "No results"),
    ("js.to_light", "Switch to light mode"),
    ("js.to_dark", "Switch to dark mode"),
    ("js.copy_code", "Copy code"),
    ("js.copy", "Copy"),
    ("js.copied", "Copied"),
    ("js.copied_live", "Code copied"),
    ("js.copy_failed", "Copy failed"),
    ("js.copy_failed_live", "Could not copy the code"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_same_keys_and_english_has_no_hangul() {
        let ko: Vec<_> = KO.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = EN.iter().map(|(k, _)| *k).collect();
        assert_eq!(ko, en);
        let hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
        for (k, v) in EN {
            assert!(!hangul(v), "{k}: {v}");
        }
        assert!(KO.iter().any(|(_, v)| hangul(v)));
    }

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(object("유실 없음"), "유실 없음을");
        assert_eq!(object("중복 없음과 유실 없음"), "중복 없음과 유실 없음을");
        assert_eq!(object("아무 속성"), "아무 속성을");
        assert_eq!(object("태그"), "태그를");
        assert_eq!(subject("카테고리"), "카테고리가");
        assert_eq!(subject("설정"), "설정이");
        assert_eq!(topic("카프카"), "카프카는");
        assert_eq!(topic("acks"), "acks는");
        assert_eq!(topic("retries=0"), "retries=0은");
        assert_eq!(topic("max.in.flight=5"), "max.in.flight=5는");
        assert_eq!(subject("enable.idempotence"), "enable.idempotence가");
        assert_eq!(object("`acks`"), "`acks`를");
        assert_eq!(object("日本"), "日本을(를)");
        assert_eq!(has_batchim(""), None);
    }

    #[test]
    fn dates_in_the_site_language() {
        let d = DateTime::parse_from_rfc3339("2024-09-10T21:30:00+09:00").unwrap();
        assert_eq!(Lang::Ko.date(&d), "2024년 9월 10일");
        assert_eq!(Lang::En.date(&d), "September 10, 2024");
        let d = DateTime::parse_from_rfc3339("2023-01-02T00:10:00-05:00").unwrap();
        assert_eq!(Lang::En.date(&d), "January 2, 2023");
    }

    #[test]
    fn language_values() {
        assert_eq!(Lang::parse("ko"), Some(Lang::Ko));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("ko_KR"), Some(Lang::Ko));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::of("fr"), Lang::En);
        assert_eq!(Lang::Ko.none_yet("태그"), "아직 태그가 없습니다.");
        assert_eq!(Lang::En.none_yet("Tags"), "No tags yet.");
        assert!(Lang::En.js_json().contains("\"copy\":\"Copy\""));
    }
}
