//! Dates on the command line, and the clock.

use tnw_domain::date::parse_date;
use tnw_domain::Date;

pub fn date_arg(s: &str) -> std::result::Result<Date, String> {
    parse_date(s)
}

pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
