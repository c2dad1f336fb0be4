//! A generator of synthetic event graphs for benchmarks, in kg's CSV import layout.
//!
//! ```text
//! cargo run --release --example gen_events -- --actors 100000 --events 1000000 --out data/100k
//! ```
//!
//! Writes `entities.csv` (`name,kind,country`), `relations.csv` (`from,type,to,date`),
//! `pairs.csv` and `filtered_pairs.csv` (`from,to`: seeded query pairs whose ends both
//! have an event; for the filtered ones, an event of type phoned or met in 2020-2022).
//! Activity is Zipf-like (an actor of rank r takes part in events with weight
//! 1/r^zipf, ranks shuffled over ids so hubs are spread out), a dozen relation types
//! with skewed frequencies, days uniform over 2015-01-01..2025-12-31, no self-loops.
//! The same flags give the same files (default seed 42).

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const TYPES: [(&str, u32); 12] = [
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
/// 2015-01-01 and the number of days to 2025-12-31.
const FIRST_DAY: (i32, u32, u32) = (2015, 1, 1);
const DAYS: u64 = 4018;

/// SplitMix64: small, fast, seeded; good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Args {
    actors: usize,
    events: usize,
    seed: u64,
    zipf: f64,
    pairs: usize,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        actors: 10_000,
        events: 100_000,
        seed: 42,
        zipf: 1.0,
        pairs: 1000,
        out: PathBuf::from("data/10k"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = format!("bad value for {flag}: {value}");
        match flag.as_str() {
            "--actors" => args.actors = value.parse().map_err(|_| bad)?,
            "--events" => args.events = value.parse().map_err(|_| bad)?,
            "--seed" => args.seed = value.parse().map_err(|_| bad)?,
            "--zipf" => args.zipf = value.parse().map_err(|_| bad)?,
            "--pairs" => args.pairs = value.parse().map_err(|_| bad)?,
            "--out" => args.out = PathBuf::from(value),
            _ => {
                return Err(format!(
                    "unknown flag {flag}: expected --actors, --events, --seed, --zipf, --pairs, --out"
                ));
            }
        }
    }
    if args.actors < 2 {
        return Err("--actors must be at least 2".into());
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    fs::create_dir_all(&args.out)?;
    let mut rng = Rng(args.seed);
    let n = args.actors;

    let mut names = Vec::with_capacity(n);
    let mut entities = BufWriter::new(File::create(args.out.join("entities.csv"))?);
    writeln!(entities, "name,kind,country")?;
    for i in 0..n {
        let (kind, code) = KINDS[rng.below(KINDS.len() as u64) as usize];
        let country = COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize];
        let name = format!("{country}{code}{i}");
        writeln!(entities, "{name},{kind},{country}")?;
        names.push(name);
    }
    entities.flush()?;

    // Zipf weights over ranks, ranks shuffled onto actors.
    let mut cdf: Vec<f64> = (1..=n).map(|r| (r as f64).powf(-args.zipf)).collect();
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
    let first = chrono_free_day(FIRST_DAY);
    let days: Vec<String> = (0..DAYS).map(|d| format_day(first + d as i64)).collect();

    let mut degree = vec![0u32; n];
    let mut qualifying = vec![false; n];
    let mut relations =
        BufWriter::with_capacity(1 << 20, File::create(args.out.join("relations.csv"))?);
    writeln!(relations, "from,type,to,date")?;
    for _ in 0..args.events {
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
        let year: u32 = days[day][..4].parse().unwrap_or(0);
        if t < 2 && (2020..=2022).contains(&year) {
            qualifying[a] = true;
            qualifying[b] = true;
        }
    }
    relations.flush()?;

    let active: Vec<usize> = (0..n).filter(|&i| degree[i] > 0).collect();
    let eligible: Vec<usize> = (0..n).filter(|&i| qualifying[i]).collect();
    for (file, pool, count) in [
        ("pairs.csv", &active, args.pairs),
        ("filtered_pairs.csv", &eligible, 20),
    ] {
        let mut out = BufWriter::new(File::create(args.out.join(file))?);
        writeln!(out, "from,to")?;
        if pool.len() >= 2 {
            for _ in 0..count {
                let a = pool[rng.below(pool.len() as u64) as usize];
                let mut b = pool[rng.below(pool.len() as u64) as usize];
                while b == a {
                    b = pool[rng.below(pool.len() as u64) as usize];
                }
                writeln!(out, "{},{}", names[a], names[b])?;
            }
        }
        out.flush()?;
    }
    eprintln!(
        "wrote {} actors and {} events to {}",
        n,
        args.events,
        args.out.display()
    );
    Ok(())
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn chrono_free_day((y, m, d): (i32, u32, u32)) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

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
