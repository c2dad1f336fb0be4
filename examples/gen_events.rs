//! A generator of synthetic event graphs for benchmarks, in kg's CSV import layout.
//!
//! ```text
//! cargo run --release --example gen_events -- --actors 100000 --events 1000000 --out data/100k
//! kg --db data/100k.kgdb import data/100k/entities.csv data/100k/relations.csv
//! kg -v --db data/100k.kgdb path --pairs data/100k/pairs.csv
//! ```
//!
//! Writes `entities.csv` (`name,kind,country`), `relations.csv` (`from,type,to,date`),
//! `pairs.csv` and `filtered_pairs.csv` (`from,to`: seeded query pairs whose ends both
//! have an event; for the filtered ones, an event of type phoned or met in 2020-2022).
//! See `benches/support/synthetic.rs` for the distribution. The same flags give the
//! same files (default seed 42).

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use synthetic::{Config, generate, pairs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config {
        actors: 10_000,
        events: 100_000,
        seed: 42,
        zipf: 1.0,
    };
    let mut count = 1000;
    let mut out = PathBuf::from("data/10k");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = || format!("bad value for {flag}: {value}");
        match flag.as_str() {
            "--actors" => config.actors = value.parse().map_err(|_| bad())?,
            "--events" => config.events = value.parse().map_err(|_| bad())?,
            "--seed" => config.seed = value.parse().map_err(|_| bad())?,
            "--zipf" => config.zipf = value.parse().map_err(|_| bad())?,
            "--pairs" => count = value.parse().map_err(|_| bad())?,
            "--out" => out = PathBuf::from(value),
            _ => return Err(format!(
                "unknown flag {flag}: expected --actors, --events, --seed, --zipf, --pairs, --out"
            )
            .into()),
        }
    }
    fs::create_dir_all(&out)?;
    let mut entities = BufWriter::new(File::create(out.join("entities.csv"))?);
    let mut relations = BufWriter::with_capacity(1 << 20, File::create(out.join("relations.csv"))?);
    let generated = generate(config, &mut entities, &mut relations)?;
    entities.flush()?;
    relations.flush()?;
    for (file, pool, n, seed) in [
        ("pairs.csv", &generated.active, count, config.seed + 1),
        (
            "filtered_pairs.csv",
            &generated.qualifying,
            20,
            config.seed + 2,
        ),
    ] {
        let mut w = BufWriter::new(File::create(out.join(file))?);
        writeln!(w, "from,to")?;
        for (a, b) in pairs(&generated.names, pool, n, seed) {
            writeln!(w, "{a},{b}")?;
        }
        w.flush()?;
    }
    eprintln!(
        "wrote {} actors and {} events to {}",
        config.actors,
        config.events,
        out.display()
    );
    Ok(())
}
