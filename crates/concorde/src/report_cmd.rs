//! `concorde report …`: the final report from the command line. `coverage` prints the coverage
//! audit of a debate's report (the same figures as the guarantors' page) and, with
//! `--require-full`, fails when a published contribution is not accounted for — for a check
//! before publication in a script.

use storage::Store;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Coverage audit: shares of the published contributions cited, in a cited theme, or read
    /// and not retained, by channel, question, category and quartier.
    Coverage {
        /// The debate's slug, e.g. solidarites.
        #[arg(long)]
        debate: String,
        /// The report's version (default: the newest, i.e. the draft when there is one).
        #[arg(long)]
        version: Option<i64>,
        /// Exit with status 1 when a contribution is not covered.
        #[arg(long)]
        require_full: bool,
        /// List at most this many uncovered contributions.
        #[arg(long, default_value_t = 20)]
        list: i64,
    },
}

fn pct(p: f64) -> String {
    format!("{p:.1} %")
}

pub async fn run(store: &Store, command: &Command) -> anyhow::Result<()> {
    match command {
        Command::Coverage {
            debate,
            version,
            require_full,
            list,
        } => {
            let d = store
                .debate_by_slug(debate)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no debate with the slug {debate:?}"))?;
            let started = std::time::Instant::now();
            let a = app::report_coverage::audit_unchecked(store, d.id, *version, (*list).max(0))
                .await
                .map_err(|e| match e {
                    app::report::ReportError::NotFound => {
                        anyhow::anyhow!("the report of {debate:?} has no version {version:?}")
                    }
                    other => anyhow::anyhow!("{other}"),
                })?;
            let elapsed = started.elapsed().as_secs_f64();
            let c = &a.coverage;
            if a.version > 0 {
                println!("report of {debate:?}, version {}", a.version);
            } else {
                println!("report of {debate:?}: not started (nothing cited)");
            }
            println!(
                "covered: {} of {} published contributions ({})",
                c.covered(),
                c.total,
                pct(c.percent())
            );
            println!(
                "  cited {} · in a cited theme {} · read, not retained {} · not covered {}",
                c.cited, c.in_cited_theme, c.not_retained, c.uncovered
            );
            for dim in &c.dimensions {
                println!("by {}:", dim.name);
                for s in &dim.shares {
                    println!(
                        "  {}: {} ({} of {})",
                        s.value,
                        pct(s.percent()),
                        s.covered,
                        s.total
                    );
                }
            }
            for u in &a.uncovered {
                println!("not covered: #{} {} ({})", u.id, u.title, u.channel);
            }
            eprintln!("computed in {elapsed:.2} s");
            if *require_full && !c.is_full() {
                anyhow::bail!(
                    "{} published contributions are not covered by the report",
                    c.uncovered
                );
            }
            Ok(())
        }
    }
}
