//! The values the command line reads beyond clap's own: counts, scores, dates that may
//! not be empty, and `KEY=VALUE` properties.

use kg::Error;
use kg::model::TimeSpan;
use kg::source::sorted_properties;

/// A count of at least one (a limit of 0 would show nothing).
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("'{text}' is not a count of at least 1")),
    }
}

/// A length of time: seconds as a number (`2`, `0.5`), or with a unit (`500ms`, `30s`,
/// `2m`); more than nothing and at most a day.
pub fn duration(text: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("'{text}' is not a duration: give seconds (2.5) or 500ms, 30s, 2m");
    let t = text.trim();
    let (number, unit) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let seconds = number.trim().parse::<f64>().map_err(|_| bad())? * unit;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(bad());
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// A score from 0 to 1.
pub fn score(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("'{text}' is not a score from 0 to 1")),
    }
}

/// A date given on the command line: as `TimeSpan` reads it, but never empty (leave
/// `--date` out for an undated relation).
pub fn date_given(text: &str) -> Result<TimeSpan, String> {
    if text.trim().is_empty() {
        return Err("an empty date: leave --date out for an undated relation".to_string());
    }
    text.parse::<TimeSpan>().map_err(|e| e.to_string())
}

/// Properties given as `KEY=VALUE`, sorted by key.
pub fn key_values(pairs: &[String]) -> Result<Vec<(String, String)>, Error> {
    let pairs = pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(Error::Usage(format!(
                "bad property '{p}': expected KEY=VALUE"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    sorted_properties(pairs).map_err(Error::Usage)
}
