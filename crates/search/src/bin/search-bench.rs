//! Search benchmark: builds an index of up to 1,000,000 contributions on disk and times
//! searches. Used by `bench/search/run.sh`; figures in BENCHMARKS.md ("Search").
//!
//! ```text
//! search-bench --input million.jsonl.gz [--n 1000000] [--dir /tmp/concorde-search-bench]
//!              [--runs 300] [--query WORDS]...
//! ```
//!
//! Input: JSON Lines (gzipped or not) with a `text` field, such as the output of
//! `bench/analysis/gen_million.py`. Every 10th line becomes a comment on the contribution
//! before it; a contribution's title is the first words of its text (up to 60 characters). All
//! documents are in one debate, the worst case for the debate filter. Each query runs a few
//! times to warm up, then `--runs` times; p50 and p99 are over those runs, each a top-20 search
//! with the total count, as the web page will ask for.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use search::{Doc, Index, Kind, Query};

struct Args {
    input: PathBuf,
    n: usize,
    dir: PathBuf,
    runs: usize,
    queries: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        input: PathBuf::new(),
        n: 1_000_000,
        dir: PathBuf::from("/tmp/concorde-search-bench"),
        runs: 300,
        queries: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--input" => args.input = PathBuf::from(value()?),
            "--n" => args.n = value()?.parse().map_err(|e| format!("--n: {e}"))?,
            "--dir" => args.dir = PathBuf::from(value()?),
            "--runs" => args.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--query" => args.queries.push(value()?),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if args.input.as_os_str().is_empty() {
        return Err("--input is required".into());
    }
    if args.queries.is_empty() {
        args.queries = [
            "impôts",
            "transport",
            "permaculture",
            "méthanisation",
            "ecole",
            "transports en commun",
            "\"transports en commun\"",
            "l'isolation des logements",
        ]
        .map(String::from)
        .into();
    }
    Ok(args)
}

fn read_texts(path: &Path, n: usize) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut texts = Vec::with_capacity(n);
    for line in BufReader::new(reader).lines() {
        if texts.len() >= n {
            break;
        }
        let line = line.map_err(|e| e.to_string())?;
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            texts.push(text.to_string());
        }
    }
    Ok(texts)
}

/// The first words of `text`, up to 60 bytes.
fn title_of(text: &str) -> &str {
    if text.len() <= 60 {
        return text;
    }
    let mut cut = 60;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[..cut].rfind(' ') {
        Some(space) => &text[..space],
        None => &text[..cut],
    }
}

fn doc(i: usize, text: &str) -> Doc<'_> {
    let id = i as i64 + 1;
    let comment = i % 10 == 9;
    Doc {
        kind: if comment {
            Kind::Comment
        } else {
            Kind::Contribution
        },
        id,
        debate_id: 1,
        contribution_id: if comment { id - 1 } else { id },
        title: if comment { "" } else { title_of(text) },
        body: text,
        created_at: 1_550_000_000 + 60 * id,
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("search-bench: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("search-bench: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let t = Instant::now();
    let texts = read_texts(&args.input, args.n)?;
    println!(
        "read {} texts in {:.1} s",
        texts.len(),
        t.elapsed().as_secs_f64()
    );

    let index = Index::open(&args.dir).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let added = index
        .rebuild(
            texts.iter().enumerate().map(|(i, text)| doc(i, text)),
            |done| {
                if done % 200_000 == 0 && done > 0 {
                    eprintln!("  {done} documents, {:.1} s", t.elapsed().as_secs_f64());
                }
            },
        )
        .map_err(|e| e.to_string())?;
    let build = t.elapsed().as_secs_f64();
    println!(
        "build: {added} documents in {build:.1} s ({:.0} docs/s), index {:.0} MB on disk, {} docs searchable",
        added as f64 / build,
        dir_size(&args.dir) as f64 / 1e6,
        index.doc_count()
    );

    println!("query | hits | p50 ms | p99 ms | mean ms");
    for text in &args.queries {
        let q = Query::new(1, text);
        let mut total = 0;
        for _ in 0..5 {
            total = index.search(&q).map_err(|e| e.to_string())?.total;
        }
        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            let t = Instant::now();
            let hits = index.search(&q).map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            std::hint::black_box(hits);
        }
        times.sort_unstable();
        let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64;
        println!(
            "{text} | {total} | {:.2} | {:.2} | {:.2}",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            mean * 1000.0
        );
    }

    // One-document updates, as the platform makes them when a contribution is posted.
    let mut times = Vec::new();
    for i in 0..20 {
        let body = format!("Nouvelle contribution de test numéro {i} sur la géothermie");
        let d = Doc {
            body: &body,
            title: "Test",
            ..doc(texts.len() + i, &body)
        };
        let t = Instant::now();
        index.upsert(&[d]).map_err(|e| e.to_string())?;
        times.push(t.elapsed());
    }
    times.sort_unstable();
    println!(
        "upsert of one document (commit + reload): p50 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5),
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    Ok(())
}
