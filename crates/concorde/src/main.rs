//! `concorde`: serve the platform, migrate its database, load the demo, create accounts.

use clap::{Parser, Subcommand};
use concorde::{analyze, config, demo, export, import, open_store, start, survey};
use domain::Role;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod code_cmd;

#[derive(Parser)]
#[command(
    name = "concorde",
    version,
    about = "Concorde — plateforme de participation citoyenne / civic participation platform"
)]
struct Cli {
    /// Settings file (TOML); every key is documented in the README.
    #[arg(long, global = true, env = "CONCORDE_CONFIG")]
    config: Option<PathBuf>,
    /// Data folder: embedded database, mail outbox.
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Log format: text or json.
    #[arg(
        long,
        global = true,
        env = "CONCORDE_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web platform (the default).
    Serve {
        /// Address and port, e.g. 127.0.0.1:8080 (also CONCORDE_LISTEN).
        #[arg(long)]
        listen: Option<String>,
        /// Load the demo debate into an empty database first.
        #[arg(long)]
        demo: bool,
    },
    /// Create or update the database's tables, then exit.
    Migrate,
    /// Load the demo debate ("Nantes ouvre le dialogue sur les solidarités").
    Demo,
    /// Run the synthesis engine: themes, keyphrases, duplicates and campaigns.
    Analyze {
        /// JSON Lines file, gzipped or not: one object per line with `text` and optional `id`,
        /// `question`, `category`, `quartier`, `channel`.
        #[arg(long)]
        input: Option<PathBuf>,
        /// Analyse a debate's contributions in the database (needs contributions: not yet).
        #[arg(long, conflicts_with = "input")]
        debate: Option<String>,
        /// Where to write the JSON result (schema: crates/analysis/SCHEMA.md).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Where to write a standalone HTML summary.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Field holding a reference label (e.g. question): NMI and ARI are reported against it.
        #[arg(long)]
        label_field: Option<String>,
        #[arg(long)]
        min_themes: Option<usize>,
        #[arg(long)]
        max_themes: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Assisted coding: learn the analysts' codes, suggest codes for uncoded contributions.
    Code {
        #[command(subcommand)]
        command: CodeCommand,
    },
    /// Export open data (pseudonymised, hidden items left out).
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Import contributions from a file (schema: docs/import.md).
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Surveys: weighting a panel on files alone (docs/weighting.md), or a survey's panel in the
    /// database (docs/survey.md).
    Survey {
        #[command(subcommand)]
        what: survey::Command,
    },
    /// The final report: its coverage audit.
    Report {
        #[command(subcommand)]
        what: concorde::report_cmd::Command,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The job queue (mail, notices, analyses): run what is due, or see where it stands.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit log; names the first entry that was edited or follows
    /// a deleted one, and exits with a non-zero status if there is one.
    Verify,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run every due job until none is left, then exit (a serving instance does this by itself).
    Run,
    /// Count the jobs by state.
    Status,
}

#[derive(Subcommand)]
enum CodeCommand {
    /// Suggest codes with a confidence and the terms behind each; no suggestion below the
    /// threshold.
    Suggest {
        /// JSON Lines: `id`, `text`, `codes` (a list), optional `question` (a model per question).
        #[arg(long)]
        train: PathBuf,
        /// JSON Lines: `id`, `text`, optional `question`.
        #[arg(long)]
        input: PathBuf,
        /// JSON Lines written: `id`, `codes` (a list of `{code, confidence, terms}`).
        #[arg(long)]
        output: PathBuf,
        /// Withhold suggestions below this calibrated confidence (default 0.8).
        #[arg(long)]
        min_confidence: Option<f64>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A debate's published contributions, streamed (schema: docs/open-data.md).
    Contributions(ExportArgs),
    /// The published comments of a debate's published contributions, streamed (schema:
    /// docs/open-data.md).
    Comments(ExportArgs),
    /// A debate's published events with their counts, no names (schema: docs/open-data.md).
    Events(ExportArgs),
    /// Attendance at a debate's events by category and quartier (schema: docs/open-data.md).
    Attendance(ExportArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The debate's slug, e.g. solidarites.
    #[arg(long)]
    debate: String,
    /// csv, jsonl or xlsx (an Excel sheet: 1,048,575 rows at most).
    #[arg(long, default_value = "csv")]
    format: String,
    /// File to write; standard output by default.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Contributions from JSON Lines (gzipped or not), CSV, a spreadsheet (xlsx, xls, ods), or
    /// Decidim's proposals export (CSV or Excel); all or nothing, and a second run of the same
    /// file adds nothing.
    Contributions {
        /// The file to import.
        file: PathBuf,
        /// The debate's slug, e.g. solidarites.
        #[arg(long)]
        debate: String,
        /// auto, jsonl, csv or decidim.
        #[arg(long, default_value = "auto")]
        format: String,
        /// Put rows that name no question under the debate's N-th question (1-based).
        #[arg(long, value_name = "N")]
        question: Option<usize>,
        /// Create the questions the debate lacks, in order of first appearance.
        #[arg(long)]
        create_questions: bool,
        /// Import the valid lines even if others are rejected (they are still reported).
        #[arg(long)]
        skip_invalid: bool,
        /// Write the rejected lines to this file as CSV (line,reason).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Name of the origin, part of what makes a row already imported (default: decidim for
        /// Decidim files, file for the others).
        #[arg(long)]
        source: Option<String>,
        /// The text's encoding: auto (UTF-8, or Windows-1252 when the file is not UTF-8),
        /// utf-8, windows-1252 (latin1), iso-8859-15, macintosh, or another WHATWG label.
        #[arg(long, value_name = "LABEL", default_value = "auto")]
        encoding: String,
        #[command(flatten)]
        decidim: DecidimArgs,
    },
    /// A whole Decidim participatory process from the folder of its exports (proposals,
    /// comments, debates, meetings; CSV, JSON or Excel, zipped or not), or from one zip
    /// archive: checked first, stored in one transaction,
    /// nothing twice (docs/import.md).
    Decidim {
        /// The folder holding the export files, or a zip archive of them.
        dir: PathBuf,
        /// The debate's slug, e.g. solidarites.
        #[arg(long)]
        debate: String,
        /// Put every proposal under the debate's N-th question (1-based).
        #[arg(long, value_name = "N")]
        question: Option<usize>,
        /// Create the questions the debate lacks (with --category-as-question).
        #[arg(long)]
        create_questions: bool,
        /// Import the valid lines even if others are rejected (they are still reported).
        #[arg(long)]
        skip_invalid: bool,
        /// Write the rejected lines to this file as CSV (file,line,reason).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Name of the origin, part of what makes a row already imported (default: decidim).
        #[arg(long)]
        source: Option<String>,
        /// The CSV files' encoding: auto (UTF-8, or Windows-1252 when a file is not UTF-8),
        /// utf-8, windows-1252 (latin1), or another WHATWG label.
        #[arg(long, value_name = "LABEL", default_value = "auto")]
        encoding: String,
        #[command(flatten)]
        decidim: DecidimArgs,
    },
}

/// How Decidim's categories and states are read.
#[derive(clap::Args)]
struct DecidimArgs {
    /// Decidim: a proposal's category names its question (by default the category is a theme
    /// tag and --question N says where proposals go).
    #[arg(long)]
    category_as_question: bool,
    /// Decidim: what was rejected there arrives as published (its state shown) or withdrawn.
    #[arg(long, value_name = "published|withdrawn", default_value = "published")]
    rejected_as: String,
}

impl DecidimArgs {
    fn rejected_withdrawn(&self) -> anyhow::Result<bool> {
        match self.rejected_as.as_str() {
            "published" => Ok(false),
            "withdrawn" => Ok(true),
            other => anyhow::bail!("--rejected-as {other:?}: use published or withdrawn"),
        }
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (already confirmed), or add roles to an existing one.
    Create {
        #[arg(long)]
        email: String,
        /// Role to grant: admin, moderator, analyst, facilitator, guarantor, jury (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Display name (default: the part of the address before @).
        #[arg(long)]
        name: Option<String>,
        /// Password; if absent it is read from standard input when piped, or generated and printed.
        #[arg(long, env = "CONCORDE_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(&cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("concorde: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("concorde: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    if let Some(d) = cli.data {
        settings.data_dir = d;
    }
    let command = cli.command.unwrap_or(Command::Serve {
        listen: None,
        demo: false,
    });
    if let Command::Serve {
        listen: Some(l), ..
    } = &command
    {
        let derived = settings.public_url == format!("http://{}", settings.listen);
        settings.listen = l.clone();
        if derived {
            settings.public_url = format!("http://{l}");
        }
        config::validate(&settings)?;
    }
    if let Command::Analyze {
        input: Some(input),
        output,
        html,
        label_field,
        min_themes,
        max_themes,
        seed,
        ..
    } = command
    {
        let opts = analyze::Options {
            input,
            output,
            html,
            label_field,
            min_themes,
            max_themes,
            seed,
        };
        for line in tokio::task::spawn_blocking(move || analyze::run(&opts)).await?? {
            println!("{line}");
        }
        return Ok(());
    }
    if let Command::Survey { what } = &command
        && what.files_only()
    {
        return survey::cli(what);
    }
    if let Command::Code {
        command:
            CodeCommand::Suggest {
                train,
                input,
                output,
                min_confidence,
            },
    } = command
    {
        let opts = code_cmd::Options {
            train,
            input,
            output,
            min_confidence,
        };
        for line in tokio::task::spawn_blocking(move || code_cmd::suggest(&opts)).await?? {
            println!("{line}");
        }
        return Ok(());
    }
    let store = open_store(&settings).await?;
    match command {
        // Needs no database: handled above.
        Command::Code { .. } => {}
        Command::Analyze {
            debate,
            output,
            html,
            min_themes,
            max_themes,
            seed,
            ..
        } => {
            let slug = debate.ok_or_else(|| {
                anyhow::anyhow!("give --input FILE (JSON Lines) or --debate SLUG")
            })?;
            let d = store
                .debate_by_slug(&slug)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no debate with the slug {slug:?}"))?;
            let settings = analyze::settings(min_themes, max_themes, seed);
            eprintln!("analysing the contributions of {slug:?}…");
            let (run, result) = web::synthesis::run_on_debate(&store, d.id, settings, None).await?;
            for line in analyze::report(&result, output.as_deref(), html.as_deref(), None)? {
                println!("{line}");
            }
            println!("stored as run {run}: /admin/analyses/{run}");
        }
        Command::Export { what } => {
            let (dataset, args) = match what {
                ExportCommand::Contributions(a) => (web::opendata::Dataset::Contributions, a),
                ExportCommand::Comments(a) => (web::opendata::Dataset::Comments, a),
                ExportCommand::Events(a) => (web::opendata::Dataset::Events, a),
                ExportCommand::Attendance(a) => (web::opendata::Dataset::Attendance, a),
            };
            let opts = export::Options {
                dataset,
                debate: args.debate,
                format: export::parse_format(&args.format)?,
                output: args.output,
            };
            let n = export::run(&store, &settings, &opts).await?;
            eprintln!("{n} {} exported", dataset.name());
        }
        Command::Import {
            what:
                ImportCommand::Contributions {
                    file,
                    debate,
                    format,
                    question,
                    create_questions,
                    skip_invalid,
                    report,
                    source,
                    encoding,
                    decidim,
                },
        } => {
            let opts = import::Options {
                file,
                debate,
                format: import::Format::parse(&format).map_err(anyhow::Error::msg)?,
                question,
                create_questions,
                category_as_question: decidim.category_as_question,
                rejected_withdrawn: decidim.rejected_withdrawn()?,
                skip_invalid,
                source,
                encoding: import::encoding::Choice::parse(&encoding).map_err(anyhow::Error::msg)?,
                progress: true,
            };
            import::cli(&store, &settings, &opts, report.as_deref()).await?;
        }
        Command::Import {
            what:
                ImportCommand::Decidim {
                    dir,
                    debate,
                    question,
                    create_questions,
                    skip_invalid,
                    report,
                    source,
                    encoding,
                    decidim,
                },
        } => {
            let opts = import::decidim::Options {
                dir,
                debate,
                question,
                create_questions,
                category_as_question: decidim.category_as_question,
                rejected_withdrawn: decidim.rejected_withdrawn()?,
                skip_invalid,
                source: source.unwrap_or_else(|| "decidim".into()),
                encoding: import::encoding::Choice::parse(&encoding).map_err(anyhow::Error::msg)?,
            };
            import::decidim::cli(&store, &settings, &opts, report.as_deref()).await?;
        }
        Command::Survey { what } => survey::cli_store(&store, &what).await?,
        Command::Report { what } => concorde::report_cmd::run(&store, &what).await?,
        Command::Migrate => {
            println!("database is up to date");
        }
        Command::Demo => match demo::load_all(&store, storage::now()).await? {
            demo::Outcome::Loaded => println!("demo debate loaded: /debats/{}", demo::SLUG),
            demo::Outcome::AlreadyThere => println!("the demo debate is already there"),
        },
        Command::Jobs { command } => {
            let running = start(
                web::Settings {
                    listen: "127.0.0.1:0".into(),
                    run_jobs: false,
                    ..settings.clone()
                },
                store.clone(),
            )
            .await?;
            if let JobsCommand::Run = command {
                let started = std::time::Instant::now();
                let n = running.worker.drain().await?;
                println!("{n} jobs run in {:.2} s", started.elapsed().as_secs_f64());
            }
            let c = store.job_counts().await?;
            println!(
                "queued {} · running {} · done {} · failed {}",
                c.queued, c.running, c.done, c.failed
            );
            running.stop().await;
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let check = store.verify_audit().await?;
            if let Some(b) = &check.broken {
                anyhow::bail!(
                    "the audit log is broken after {} entries read: {b}",
                    check.entries - 1
                );
            }
            println!(
                "audit log intact: {} entries chained",
                check.entries - check.unchained
            );
            if check.unchained > 0 {
                println!(
                    "{} older entries are not chained yet (they will be at the next audited write)",
                    check.unchained
                );
            }
            if let Some(head) = &check.head {
                println!("head of the chain: {head} (note it elsewhere to detect a rewrite later)");
            }
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    roles,
                    name,
                    password,
                },
        } => {
            create_user(&store, &email, &roles, name, password).await?;
        }
        Command::Serve {
            demo: with_demo, ..
        } => {
            if with_demo {
                match demo::load_all(&store, storage::now()).await? {
                    demo::Outcome::Loaded => tracing::info!("demo debate loaded"),
                    demo::Outcome::AlreadyThere => tracing::info!("demo debate already loaded"),
                }
            }
            if settings.smtp_url.is_empty() {
                let outbox = settings.outbox_dir();
                tracing::info!(outbox = %outbox.display(), "no SMTP server set: e-mails are written to the outbox");
            }
            let running = start(settings.clone(), store.clone()).await?;
            tracing::info!(address = %running.addr, database = %storage::redact(&settings.effective_database_url()), "Concorde is serving on http://{}", running.addr);
            let purge_store = store.clone();
            let longest_window = settings.limits().longest_window();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                    if let Err(e) = purge_store.purge_expired_sessions().await {
                        tracing::warn!(error = %e, "session purge failed");
                    }
                    let before = storage::now() - longest_window;
                    if let Err(e) = purge_store.purge_rate_events(before).await {
                        tracing::warn!(error = %e, "purge of the rate limits' counts failed");
                    }
                }
            });
            shutdown_signal().await;
            tracing::info!("shutting down");
            running.stop().await;
            store.close().await;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn create_user(
    store: &storage::Store,
    email: &str,
    roles: &[String],
    name: Option<String>,
    password: Option<String>,
) -> anyhow::Result<()> {
    let email = domain::validate::email(email)
        .map_err(|_| anyhow::anyhow!("invalid e-mail address: {email}"))?;
    let roles: Vec<Role> = roles
        .iter()
        .map(|r| Role::parse(r).ok_or_else(|| anyhow::anyhow!("unknown role {r:?}: use admin, moderator, analyst, facilitator, guarantor or jury")))
        .collect::<Result<_, _>>()?;
    let id = match store.user_by_email(&email).await? {
        Some(u) => {
            println!("account {email} exists: adding roles");
            u.id
        }
        None => {
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => {
                    // A piped password wins; nothing piped (or a terminal) means one is generated.
                    let mut line = String::new();
                    if !std::io::stdin().is_terminal() {
                        std::io::stdin().read_line(&mut line)?;
                    }
                    let piped = line.trim_end_matches(['\r', '\n']).to_string();
                    if piped.is_empty() {
                        (storage::new_token().0, true)
                    } else {
                        (piped, false)
                    }
                }
            };
            let password = domain::validate::password(&password).map_err(|_| {
                anyhow::anyhow!(
                    "the password must have at least {} characters",
                    domain::validate::MIN_PASSWORD
                )
            })?;
            let display =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or("admin").to_string());
            let hash = password_hash(&password);
            let id = store
                .create_user(storage::NewUser {
                    email: &email,
                    password_hash: &hash,
                    display_name: &display,
                    lang: "fr",
                    confirmed: true,
                })
                .await?;
            if generated {
                println!("password: {password}");
            }
            println!("account {email} created");
            id
        }
    };
    for r in &roles {
        store.grant_role(id, *r, None).await?;
        store
            .audit(None, "role.grant", &format!("user:{id}"), r.as_str())
            .await?;
    }
    if !roles.is_empty() {
        println!(
            "roles: {}",
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

fn password_hash(p: &str) -> String {
    web::hash_password(p)
}
