//! Dates as Vietnamese offices write them, and the calendar-month arithmetic the rates depend on.

use crate::error::{LedgerError, Result};
use chrono::{Datelike, Months, NaiveDate};

/// Parses `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let bad = || LedgerError::InvalidDate(text.to_string());
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<Result<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 {
        (nums[0], nums[1], nums[2])
    } else if parts[2].len() == 4 {
        (nums[2], nums[1], nums[0])
    } else {
        return Err(bad());
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(bad)
}

/// Today in Vietnam (UTC+7), the day an officer means by "today" whatever the machine's clock zone.
pub fn today_vn() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// `dd/mm/yyyy`, as shown to people and printed.
pub fn format_vi(date: NaiveDate) -> String {
    use chrono::Datelike;
    // As `%d/%m/%Y`, without parsing a format string for each of a million dates.
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// Now, in UTC with the offset written out, as every stored time is.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A stored UTC time (RFC 3339) as an officer reads it: `HH:MM dd/mm/yyyy`, Vietnam time. Text that is not
/// a stored time is shown as it is.
pub fn format_time_vi(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7))
            .format("%H:%M %d/%m/%Y")
            .to_string(),
        Err(_) => stored.to_string(),
    }
}

pub use crate::error::DatedEvent;

/// Checks that `day` (of `event`) is not before `after` (the day of the step before it, when known) nor
/// after today in Vietnam: the order posting ≤ decision ≤ payout ≤ reversal ≤ today. The schema's
/// triggers hold the same order (migration 0005).
pub fn check_order(
    event: DatedEvent,
    day: NaiveDate,
    after: Option<(DatedEvent, NaiveDate)>,
) -> Result<()> {
    let too_early = after.is_some_and(|(_, a)| day < a);
    if too_early || day > today_vn() {
        return Err(LedgerError::DateOutOfOrder {
            event,
            date: Some(day),
            after,
            today: Some(today_vn()),
        });
    }
    Ok(())
}

/// A stored `yyyy-mm-dd` day.
pub fn parse_stored(day: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Days from `from` to `to`, both included (a leave from 01/7 to 15/7 is 15 days).
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The last day of the first full calendar month that starts on `from`: the day before the corresponding
/// day of the next month, or the last day of the next month when it has no corresponding day
/// (Civil Code 2015 Art. 148). 15/7 → 14/8; 31/01 → 28/02.
pub fn end_of_first_month(from: NaiveDate) -> NaiveDate {
    // chrono clamps 31/01 + 1 month to 28/02: no corresponding day, so the month ends that day.
    end_of_months(from, 1)
}

/// The last day of the first `k` whole calendar months starting on `from` (same rule as above).
pub fn end_of_months(from: NaiveDate, k: u32) -> NaiveDate {
    let next = from
        .checked_add_months(Months::new(k))
        .expect("date in range");
    if next.day() == from.day() {
        next.pred_opt().expect("date in range")
    } else {
        next
    }
}

/// True when the period `from..=to` covers at least one whole calendar month.
pub fn covers_a_month(from: NaiveDate, to: NaiveDate) -> bool {
    to >= end_of_first_month(from)
}

/// How many whole calendar months the period `from..=to` covers.
pub fn covers_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut k = 0;
    while k < 1200 && to >= end_of_months(from, k + 1) {
        k += 1;
    }
    k
}

/// Full years of age on `on` for someone born on `dob`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn parses_office_formats() {
        assert_eq!(
            d("05/07/2021"),
            NaiveDate::from_ymd_opt(2021, 7, 5).unwrap()
        );
        assert_eq!(d("5/7/2021"), NaiveDate::from_ymd_opt(2021, 7, 5).unwrap());
        assert_eq!(
            d("2021-07-05"),
            NaiveDate::from_ymd_opt(2021, 7, 5).unwrap()
        );
        assert_eq!(
            d(" 05.07.2021 "),
            NaiveDate::from_ymd_opt(2021, 7, 5).unwrap()
        );
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "31/02/2021",
            "2021/13/01",
            "abc",
            "1/1/21",
            "",
            "00/01/2021",
        ] {
            assert!(parse_date(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn calendar_month_semantics() {
        assert_eq!(end_of_first_month(d("15/07/2021")), d("14/08/2021"));
        assert_eq!(end_of_first_month(d("31/01/2021")), d("28/02/2021"));
        assert_eq!(end_of_first_month(d("01/02/2021")), d("28/02/2021"));
        assert!(covers_a_month(d("15/07/2021"), d("14/08/2021")));
        assert!(!covers_a_month(d("15/07/2021"), d("13/08/2021")));
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d("10/08/2005"), d("09/08/2021")), 15);
        assert_eq!(age_on(d("10/08/2005"), d("10/08/2021")), 16);
    }
}
