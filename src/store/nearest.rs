//! "Did you mean": the known name nearest to a misspelt one.

use crate::model::name_key;

/// The candidate nearest to `name`, if close enough to be a likely typo.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    nearest_by(name, candidates.map(|c| (c, c)))
}

/// Like [`nearest`], over (text compared, name suggested) pairs.
pub(super) fn nearest_by<S: AsRef<str>>(
    name: &str,
    candidates: impl Iterator<Item = (S, S)>,
) -> Option<String> {
    let key = name_key(name);
    let mut best: Option<(usize, S)> = None;
    for (text, suggested) in candidates {
        let distance = strsim::levenshtein(&key, &name_key(text.as_ref()));
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, suggested));
        }
    }
    let (distance, suggested) = best?;
    let allowed = (key.chars().count() / 3).max(1);
    (distance <= allowed).then(|| suggested.as_ref().to_string())
}
