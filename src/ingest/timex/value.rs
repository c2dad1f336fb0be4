//! What a time expression resolves to: a value with its granularity, written as TimeML
//! writes it ("2025-02-12", "2025-W25", "P3Y", "PAST_REF") and, when it names a stretch
//! of the calendar, as kg's `TimeSpan`.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::model::time::day_number;
use crate::model::{Precision, Shape, TimeSpan};

/// The four types of TimeML's TIMEX3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// The name TimeML gives the type.
    pub fn name(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A resolved time expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Day(NaiveDate),
    Month {
        year: i32,
        month: u32,
    },
    Year(i32),
    /// An ISO week.
    Week {
        year: i32,
        week: u32,
    },
    /// The Saturday and Sunday of an ISO week.
    Weekend {
        year: i32,
        week: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    Half {
        year: i32,
        half: u32,
    },
    /// A season of a year: SP, SU, FA, WI.
    Season {
        year: i32,
        season: &'static str,
    },
    /// The ten years from `decade * 10`.
    Decade(i32),
    /// The hundred years from `century * 100`.
    Century(i32),
    /// A part of a day: MO, AF, EV, NI, MI.
    DayPart {
        day: NaiveDate,
        part: &'static str,
    },
    /// A time of day, on a day when one is known.
    Clock {
        day: Option<NaiveDate>,
        hour: u32,
        minute: u32,
    },
    Present,
    Past,
    Future,
    /// A stretch of time, as TimeML writes it (P3Y, PXM, PT24H).
    Duration(String),
    /// A recurrence, as TimeML writes it (P1W, XXXX-WXX).
    Set(String),
}

impl Value {
    /// The TIMEX3 type of the value.
    pub fn timex_type(&self) -> TimexType {
        match self {
            Value::DayPart { .. } | Value::Clock { .. } => TimexType::Time,
            Value::Duration(_) => TimexType::Duration,
            Value::Set(_) => TimexType::Set,
            _ => TimexType::Date,
        }
    }

    /// The value as TimeML writes it.
    pub fn timeml(&self) -> String {
        match self {
            Value::Day(d) => d.format("%Y-%m-%d").to_string(),
            Value::Month { year, month } => format!("{year:04}-{month:02}"),
            Value::Year(y) => format!("{y:04}"),
            Value::Week { year, week } => format!("{year:04}-W{week:02}"),
            Value::Weekend { year, week } => format!("{year:04}-W{week:02}-WE"),
            Value::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
            Value::Half { year, half } => format!("{year:04}-H{half}"),
            Value::Season { year, season } => format!("{year:04}-{season}"),
            Value::Decade(d) => format!("{d:03}"),
            Value::Century(c) => format!("{c:02}"),
            Value::DayPart { day, part } => format!("{}T{part}", day.format("%Y-%m-%d")),
            Value::Clock { day, hour, minute } => match day {
                Some(d) => format!("{}T{hour:02}:{minute:02}", d.format("%Y-%m-%d")),
                None => format!("T{hour:02}:{minute:02}"),
            },
            Value::Present => "PRESENT_REF".to_string(),
            Value::Past => "PAST_REF".to_string(),
            Value::Future => "FUTURE_REF".to_string(),
            Value::Duration(v) | Value::Set(v) => v.clone(),
        }
    }

    /// The stretch of the calendar the value names, at its precision, as a relation's
    /// date: `None` for durations, recurrences, and references such as "recently"
    /// that name no stretch one could write down.
    pub fn span(&self) -> Option<TimeSpan> {
        let days = |from: NaiveDate, to: NaiveDate| {
            TimeSpan::from_parts(
                day_number(from),
                day_number(to),
                Shape::Range(Precision::Day, Precision::Day),
            )
        };
        let months = |year: i32, first: u32, last_year: i32, last: u32| {
            TimeSpan::from_parts(
                day_number(NaiveDate::from_ymd_opt(year, first, 1)?),
                day_number(last_day(last_year, last)?),
                Shape::Range(Precision::Month, Precision::Month),
            )
        };
        match *self {
            Value::Day(d) | Value::DayPart { day: d, .. } => Some(TimeSpan::day(d)),
            Value::Clock { day, .. } => day.map(TimeSpan::day),
            Value::Month { year, month } => TimeSpan::from_parts(
                day_number(NaiveDate::from_ymd_opt(year, month, 1)?),
                day_number(last_day(year, month)?),
                Shape::Point(Precision::Month),
            ),
            Value::Year(y) => year_span(y, y, Shape::Point(Precision::Year)),
            Value::Week { year, week } => {
                let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
                days(monday, monday + Duration::days(6))
            }
            Value::Weekend { year, week } => {
                let saturday = NaiveDate::from_isoywd_opt(year, week, Weekday::Sat)?;
                days(saturday, saturday + Duration::days(1))
            }
            Value::Quarter { year, quarter } => months(year, quarter * 3 - 2, year, quarter * 3),
            Value::Half { year, half } => months(year, half * 6 - 5, year, half * 6),
            Value::Season { year, season } => match season {
                "SP" => months(year, 3, year, 5),
                "SU" => months(year, 6, year, 8),
                "FA" => months(year, 9, year, 11),
                _ => months(year, 12, year + 1, 2),
            },
            Value::Decade(d) => year_span(
                d * 10,
                d * 10 + 9,
                Shape::Range(Precision::Year, Precision::Year),
            ),
            Value::Century(c) => year_span(
                c * 100,
                c * 100 + 99,
                Shape::Range(Precision::Year, Precision::Year),
            ),
            _ => None,
        }
    }
}

fn year_span(first: i32, last: i32, shape: Shape) -> Option<TimeSpan> {
    TimeSpan::from_parts(
        day_number(NaiveDate::from_ymd_opt(first, 1, 1)?),
        day_number(NaiveDate::from_ymd_opt(last, 12, 31)?),
        shape,
    )
}

/// The last day of a month.
pub fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map(|d| d - Duration::days(1))
}

/// The month `by` months after (or before) `year`-`month`.
pub fn add_months(year: i32, month: u32, by: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + by;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The ISO week `by` weeks after (or before) the one holding `day`.
pub fn week_of(day: NaiveDate, by: i64) -> (i32, u32) {
    let week = (day + Duration::weeks(by)).iso_week();
    (week.year(), week.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn values_print_as_timeml_writes_them() {
        assert_eq!(Value::Day(day(2025, 2, 12)).timeml(), "2025-02-12");
        assert_eq!(
            Value::Week {
                year: 1998,
                week: 2
            }
            .timeml(),
            "1998-W02"
        );
        assert_eq!(Value::Decade(199).timeml(), "199");
        assert_eq!(
            Value::DayPart {
                day: day(1998, 1, 8),
                part: "MO"
            }
            .timeml(),
            "1998-01-08TMO"
        );
    }

    #[test]
    fn calendar_values_are_spans_at_their_precision() {
        let span = |v: Value| v.span().map(|s| s.to_string());
        assert_eq!(
            span(Value::Month {
                year: 2025,
                month: 3
            })
            .as_deref(),
            Some("2025-03")
        );
        assert_eq!(
            span(Value::Week {
                year: 2025,
                week: 25
            })
            .as_deref(),
            Some("2025-06-16..2025-06-22")
        );
        assert_eq!(
            span(Value::Quarter {
                year: 2025,
                quarter: 1
            })
            .as_deref(),
            Some("2025-01..2025-03")
        );
        assert_eq!(span(Value::Past), None);
        assert_eq!(add_months(2025, 1, -1), (2024, 12));
    }
}
