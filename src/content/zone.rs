//! Time zones for dates written without an offset: a fixed UTC offset (`+09:00`) or an IANA name
//! (`Asia/Seoul`, `America/New_York`, any name of the tz database bundled by `chrono-tz`), whose
//! offset follows daylight saving time at each date.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone};

/// The zone of a site (`timezone:` in `site.yaml` or `_config.yml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset"))
    }
}

impl From<FixedOffset> for Zone {
    fn from(o: FixedOffset) -> Self {
        Zone::Fixed(o)
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Fixed(o) => write!(f, "{o}"),
            Zone::Named(tz) => write!(f, "{}", tz.name()),
        }
    }
}

impl Zone {
    /// `+09:00`, `+0900`, `-05:00`, `Z`/`UTC`, or an IANA zone name (`Asia/Seoul`).
    pub fn parse(s: &str) -> Option<Zone> {
        let s = s.trim();
        if let Ok(tz) = s.parse::<chrono_tz::Tz>() {
            return Some(Zone::Named(tz));
        }
        if s == "Z" || s.eq_ignore_ascii_case("utc") {
            return Some(Zone::default());
        }
        let (sign, rest) = match s.as_bytes().first()? {
            b'+' => (1, &s[1..]),
            b'-' => (-1, &s[1..]),
            _ => return None,
        };
        let digits = rest.replace(':', "");
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let h: i32 = digits[..2].parse().ok()?;
        let m: i32 = digits[2..].parse().ok()?;
        if h > 23 || m > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(Zone::Fixed)
    }

    /// The instant a wall-clock time names in this zone. In a daylight-saving gap the time does
    /// not exist (None); in an overlap the earlier instant is taken.
    pub fn at_local(&self, dt: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            Zone::Fixed(o) => o.from_local_datetime(&dt).single(),
            Zone::Named(tz) => tz.from_local_datetime(&dt).earliest().map(|d| d.with_timezone(&d.offset().fix())),
        }
    }

    /// The wall-clock time of an instant in this zone (what Jekyll's `Time#localtime` gives
    /// under the site's `TZ`).
    pub fn local_of(&self, dt: &DateTime<FixedOffset>) -> NaiveDateTime {
        match self {
            Zone::Fixed(o) => dt.with_timezone(o).naive_local(),
            Zone::Named(tz) => dt.with_timezone(tz).naive_local(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_names() {
        assert_eq!(Zone::parse("+09:00"), Some(Zone::Fixed(FixedOffset::east_opt(9 * 3600).unwrap())));
        assert_eq!(Zone::parse("-0500"), Some(Zone::Fixed(FixedOffset::east_opt(-5 * 3600).unwrap())));
        assert_eq!(Zone::parse("Asia/Seoul").map(|z| z.to_string()), Some("Asia/Seoul".into()));
        assert_eq!(Zone::parse("KST"), None);
        assert_eq!(Zone::parse("+9"), None);
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let ny = Zone::parse("America/New_York").unwrap();
        let winter = ny.at_local(NaiveDateTime::parse_from_str("2024-01-10 12:00", "%Y-%m-%d %H:%M").unwrap());
        let summer = ny.at_local(NaiveDateTime::parse_from_str("2024-07-10 12:00", "%Y-%m-%d %H:%M").unwrap());
        assert_eq!(winter.unwrap().offset().local_minus_utc(), -5 * 3600);
        assert_eq!(summer.unwrap().offset().local_minus_utc(), -4 * 3600);
        // 02:30 on the spring-forward day does not exist in New York.
        assert!(ny.at_local(NaiveDateTime::parse_from_str("2024-03-10 02:30", "%Y-%m-%d %H:%M").unwrap()).is_none());
        let seoul = Zone::parse("Asia/Seoul").unwrap();
        let d = DateTime::parse_from_rfc3339("2024-03-01T23:30:00-05:00").unwrap();
        assert_eq!(seoul.local_of(&d).to_string(), "2024-03-02 13:30:00");
    }
}
