//! Seeded synthetic event graphs, GDELT-like, in kg's CSV import layout: shared by the
//! generator example (`examples/gen_events.rs`) and the criterion benchmarks.
//!
//! Activity is Zipf-like (an actor of rank r takes part in events with weight
//! 1/r^zipf, ranks shuffled over ids so hubs are spread out), a dozen relation types
//! with skewed frequencies, days uniform over 2015-01-01..2025-12-31, no self-loops.
//! The same configuration gives the same bytes.

#![allow(dead_code)]

use std::io::{self, Write};

pub const TYPES: [(&str, u32); 12] = [
    ("met", 18),
    ("phoned", 8),
    ("visited", 12),
    ("pledged", 6),
    ("sanctioned", 4),
    ("accused", 10),
    ("praised", 7),
    ("threatened", 5),
    ("negotiated", 9),
    ("hosted", 6),
    ("criticized", 10),
    ("cooperated", 5),
];
const KINDS: [(&str, &str); 6] = [
    ("person", "PER"),
    ("organization", "ORG"),
    ("country", "CTY"),
    ("media", "MED"),
    ("place", "PLC"),
    ("event", "EVT"),
];
const COUNTRIES: [&str; 12] = [
    "USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IND", "BRA", "UKR", "TUR", "SAU", "EST",
];
/// Days from 2015-01-01 to 2025-12-31.
const DAYS: u64 = 4018;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub actors: usize,
    pub events: usize,
    pub seed: u64,
    pub zipf: f64,
}

/// SplitMix64: small, fast, seeded; good enough for synthetic data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The actors' names and which of them took part in events (for picking query pairs).
pub struct Generated {
    pub names: Vec<String>,
    pub active: Vec<usize>,
    /// Actors with an event of type phoned or met in 2020-2022.
    pub qualifying: Vec<usize>,
}

/// Writes `entities` (`name,kind,country`) and `relations` (`from,type,to,date`).
pub fn generate(
    config: Config,
    entities: &mut impl Write,
    relations: &mut impl Write,
) -> io::Result<Generated> {
    let mut rng = Rng(config.seed);
    let n = config.actors.max(2);
    let mut names = Vec::with_capacity(n);
    writeln!(entities, "name,kind,country")?;
    for i in 0..n {
        let (kind, code) = KINDS[rng.below(KINDS.len() as u64) as usize];
        let country = COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize];
        let name = format!("{country}{code}{i}");
        writeln!(entities, "{name},{kind},{country}")?;
        names.push(name);
    }
    let mut cdf: Vec<f64> = (1..=n).map(|r| (r as f64).powf(-config.zipf)).collect();
    let total: f64 = cdf.iter().sum();
    let mut acc = 0.0;
    for w in cdf.iter_mut() {
        acc += *w / total;
        *w = acc;
    }
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        perm.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let draw = |rng: &mut Rng| {
        let u = rng.unit();
        perm[cdf.partition_point(|&c| c < u).min(n - 1)]
    };
    let type_total: u32 = TYPES.iter().map(|t| t.1).sum();
    let days: Vec<String> = (0..DAYS as i64)
        .map(|d| format_day(day_of_2015() + d))
        .collect();
    let mut degree = vec![0u32; n];
    let mut qualifies = vec![false; n];
    writeln!(relations, "from,type,to,date")?;
    for _ in 0..config.events {
        let a = draw(&mut rng);
        let mut b = draw(&mut rng);
        while b == a {
            b = draw(&mut rng);
        }
        let mut pick = rng.below(type_total as u64) as u32;
        let mut t = 0;
        while pick >= TYPES[t].1 {
            pick -= TYPES[t].1;
            t += 1;
        }
        let day = rng.below(DAYS) as usize;
        writeln!(
            relations,
            "{},{},{},{}",
            names[a], TYPES[t].0, names[b], days[day]
        )?;
        degree[a] += 1;
        degree[b] += 1;
        if t < 2 && ("2020".."2023").contains(&&days[day][..4]) {
            qualifies[a] = true;
            qualifies[b] = true;
        }
    }
    Ok(Generated {
        active: (0..n).filter(|&i| degree[i] > 0).collect(),
        qualifying: (0..n).filter(|&i| qualifies[i]).collect(),
        names,
    })
}

/// `count` seeded pairs of distinct actors drawn from `pool`.
pub fn pairs(names: &[String], pool: &[usize], count: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    if pool.len() < 2 {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let a = pool[rng.below(pool.len() as u64) as usize];
            let mut b = pool[rng.below(pool.len() as u64) as usize];
            while b == a {
                b = pool[rng.below(pool.len() as u64) as usize];
            }
            (names[a].clone(), names[b].clone())
        })
        .collect()
}

/// Days since 1970-01-01 of 2015-01-01.
fn day_of_2015() -> i64 {
    16_436
}

/// A day number (since 1970-01-01) as YYYY-MM-DD (Howard Hinnant's algorithm).
fn format_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}
