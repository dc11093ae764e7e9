//! Benchmark of the weighting crate (bench/weighting/run.sh): reads a panel and its margins,
//! binds, rakes, and prints the time of each step as `key=value` lines.
//!
//! weighting-bench PANEL MARGINS BY [WEIGHTS_OUT] [ESTIMATE]

use concorde_weighting::{EstimateKind, RakeOptions, Sweeps};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("weighting-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: weighting-bench PANEL MARGINS BY [WEIGHTS_OUT] [ESTIMATE]".into());
    }
    let start = Instant::now();
    let panel_bytes = std::fs::read(&args[0]).map_err(|e| format!("{}: {e}", args[0]))?;
    let margins_bytes = std::fs::read(&args[1]).map_err(|e| format!("{}: {e}", args[1]))?;
    let panel = concorde_weighting::read_table(&panel_bytes, "panel").map_err(|e| e.to_string())?;
    let margins = concorde_weighting::parse_margins(
        &concorde_weighting::read_table(&margins_bytes, "margins").map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let read = start.elapsed().as_secs_f64();
    let by: Vec<&str> = args[2].split(',').collect();
    let t = Instant::now();
    let design = concorde_weighting::bind(&panel, &margins, &by).map_err(|e| e.to_string())?;
    let bind = t.elapsed().as_secs_f64();
    let opts = RakeOptions::default();
    let t = Instant::now();
    let raking = concorde_weighting::rake(&design, None, &opts).map_err(|e| e.to_string())?;
    let rake = t.elapsed().as_secs_f64();
    let categories: usize = design.margins.iter().map(|m| m.categories.len()).sum();
    println!("respondents={}", design.n);
    println!("margins={} categories={categories}", design.margins.len());
    println!("read_seconds={read:.4}");
    println!("bind_seconds={bind:.4}");
    println!("rake_seconds={rake:.4}");
    println!(
        "iterations={} largest_gap={:.2e} converged={}",
        raking.iterations, raking.largest_gap, raking.converged
    );
    if let Some(name) = args.get(4) {
        let t = Instant::now();
        let e = concorde_weighting::estimate(
            &panel,
            &design,
            &raking.weights,
            name,
            EstimateKind::Shares,
            Sweeps::Converged,
        )
        .map_err(|e| e.to_string())?;
        println!(
            "estimate_seconds={:.4} ({} categories of {name})",
            t.elapsed().as_secs_f64(),
            e.rows.len()
        );
    }
    println!("total_seconds={:.4}", start.elapsed().as_secs_f64());
    if let Some(out) = args.get(3) {
        let id = panel.column("id").ok_or("the panel has no id column")?;
        let mut text = String::from("id;weight\n");
        for (i, w) in raking.weights.iter().enumerate() {
            text.push_str(panel.cell(i, id));
            text.push(';');
            text.push_str(&w.to_string());
            text.push('\n');
        }
        std::fs::write(out, text).map_err(|e| format!("{out}: {e}"))?;
    }
    Ok(())
}
