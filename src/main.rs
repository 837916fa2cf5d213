//! The `knotenpunkt` command: serve (default), migrate, seed, user add.
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use knotenpunkt::app::{self, Settings};
use knotenpunkt::db::Db;
use knotenpunkt::domain::UserRole;
use knotenpunkt::error::{Error, Result};
use knotenpunkt::service::tokens;
use knotenpunkt::{db, seed};

#[derive(Parser)]
#[command(
    name = "knotenpunkt",
    version,
    about = "Registry of migrant organisations and their links"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web service (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Load the study's seed data set, or the given TOML files (loading twice adds nothing).
    Seed { files: Vec<std::path::PathBuf> },
    /// Write a deterministic synthetic national data set (scale 1 ≈ Germany) for benchmarks.
    Generate {
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
    /// Export a network view as a file: FORMAT is gexf (Gephi) or graphml (networkx,
    /// igraph), or the view's records: csv (a ZIP of CSV files) or xlsx for spreadsheets,
    /// ftm (FollowTheMoney JSON lines) for Aleph;
    /// the view takes the network page's parameters as NAME=VALUE, e.g.
    /// `city=Duisburg as_of=2020 persons=true`.
    Export {
        format: String,
        /// Where to write (default: standard output).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        params: Vec<String>,
    },
    /// Import records from files as the exports write them: CSV (one per table, or a
    /// ZIP of them) or XLSX. Every row is checked first; nothing is written if one fails.
    Import {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Check and show what would happen, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even if others fail.
        #[arg(long)]
        only_valid: bool,
        /// Rows that nearly match an existing record: ask (list them, write nothing),
        /// match (take the existing record) or create (a new record anyway).
        #[arg(long, default_value = "ask")]
        near_matches: String,
        /// The source rows without citations cite (default: a new source naming the files).
        #[arg(long)]
        source: Option<String>,
    },
    /// Write a consistent copy of the SQLite database to FILE while the service runs.
    Backup { file: std::path::PathBuf },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Exact betweenness for benchmarks (`benches/betweenness.sh`).
    Betweenness {
        #[command(subcommand)]
        command: BetweennessCommand,
    },
}

#[derive(Subcommand)]
enum BetweennessCommand {
    /// Write the whole graph (or a city's) as the centrality routes see it, as an edge
    /// list: the node count, then one `a b` line per undirected link.
    Edges {
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long)]
        city: Option<String>,
    },
    /// Exact betweenness of an edge list with the background job's algorithm: scores
    /// one per line to --out, the time taken to standard output.
    Compute {
        edges: std::path::PathBuf,
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user (or change an existing user's role) and print a new API token once.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: UserRole,
        /// Read a password for web sign-in from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> std::result::Result<UserRole, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Migrate => with_db(|_| Ok("migrations applied".to_string())),
        Command::Seed { files } => with_db(|conn| seed_files(conn, &files)),
        Command::Generate { scale } => with_db(|conn| {
            if !(0.0..=10.0).contains(&scale) || scale == 0.0 {
                return Err(Error::invalid(
                    "scale",
                    "must be greater than 0 and at most 10",
                ));
            }
            let counts = knotenpunkt::generate::generate(conn, scale, true)?;
            Ok(format!("generated at scale {scale}: {counts:?}"))
        }),
        Command::Export {
            format,
            out,
            params,
        } => export(&format, out.as_deref(), &params),
        Command::Import {
            files,
            dry_run,
            only_valid,
            near_matches,
            source,
        } => with_db(|conn| {
            let near_matches = knotenpunkt::import::NearMatches::parse(&near_matches)
                .ok_or_else(|| Error::invalid("near-matches", "must be ask, match or create"))?;
            let options = knotenpunkt::import::ImportOptions {
                file_name: String::new(),
                dry_run,
                only_valid,
                near_matches,
                source_id: source,
            };
            import_files(conn, &files, options)
        }),
        Command::Backup { file } => with_db(|conn| {
            db::backup(conn, &file)?;
            Ok(format!("backup written to {}", file.display()))
        }),
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    password_stdin,
                },
        } => with_db(|conn| {
            let password = if password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            if let Some(p) = &password {
                tokens::validate_password(p)?;
            }
            let (user, token) = tokens::add_user_with_token(conn, &name, role)?;
            if let Some(p) = password {
                tokens::set_password(conn, &user.name, &p)?;
            }
            Ok(format!(
                "user {} ({}) ready. API token (shown only now):\n{token}",
                user.name, user.role
            ))
        }),
        Command::Betweenness { command } => betweenness(command),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<()> {
    let rocket = app::build(Settings::figment())?;
    rocket::execute(rocket.launch())
        .map(|_| ())
        .map_err(|e| Error::Internal(e.to_string()))
}

fn betweenness(command: BetweennessCommand) -> Result<()> {
    use knotenpunkt::graph::centrality::edges;
    let file = |path: &std::path::Path| {
        std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .map_err(|e| Error::invalid("out", format!("{}: {e}", path.display())))
    };
    match command {
        BetweennessCommand::Edges { out, city } => with_db(|conn| {
            let rows = knotenpunkt::store::snapshot::load_all(conn)?;
            let snapshot = knotenpunkt::graph::build_snapshot(rows)?;
            let (nodes, links) = edges::write_edges(&snapshot, city.as_deref(), &mut file(&out)?)?;
            Ok(format!("{nodes} nodes, {links} links"))
        }),
        BetweennessCommand::Compute {
            edges: path,
            out,
            threads,
        } => {
            let input = std::fs::File::open(&path)
                .map(std::io::BufReader::new)
                .map_err(|e| Error::invalid("edges", format!("{}: {e}", path.display())))?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |p| p.get()));
            println!("{}", edges::compute(input, &mut file(&out)?, threads)?);
            Ok(())
        }
    }
}

/// Connects and migrates, runs `work`, prints its message.
fn with_db(work: impl FnOnce(&mut db::DbConn) -> Result<String>) -> Result<()> {
    let settings = Settings::from_figment(&Settings::figment())?;
    let pool = Db::connect(&settings.database_url, settings.pool_size)?;
    let mut conn = pool.conn()?;
    db::migrate(&mut conn)?;
    println!("{}", work(&mut conn)?);
    Ok(())
}

/// Writes a view's export, as the service would for a signed-in user (the command line
/// runs as the operator, who sees every person; graph exports show persons only with
/// `persons=true`, record exports always hold the persons of their roles).
fn export(format: &str, out: Option<&std::path::Path>, params: &[String]) -> Result<()> {
    use knotenpunkt::export::{records, ExportFormat};
    use knotenpunkt::graph::query::{self, Params, ViewRequest};
    use knotenpunkt::graph::Viewer;
    use std::io::Write;
    let format = ExportFormat::named(format)?;
    let mut pairs = Vec::new();
    for param in params {
        let (name, value) = param
            .split_once('=')
            .ok_or_else(|| Error::invalid(param.as_str(), "must be NAME=VALUE"))?;
        pairs.push((name.to_string(), value.to_string()));
    }
    let settings = Settings::from_figment(&Settings::figment())?;
    let pool = Db::connect(&settings.database_url, settings.pool_size)?;
    let snapshot = {
        let mut conn = pool.conn()?;
        db::migrate(&mut conn)?;
        knotenpunkt::graph::build_snapshot(knotenpunkt::store::snapshot::load_all(&mut conn)?)?
    };
    let request = query::parse::<ViewRequest>(&snapshot, &Params::new(pairs), Viewer::SignedIn)
        .map_err(Error::from)?;
    let io_error = |e: std::io::Error| Error::Internal(format!("writing the export: {e}"));
    let mut writer: Box<dyn Write> = match out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(io_error)?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let message = match format {
        ExportFormat::Graph(format) => {
            let graph = knotenpunkt::export::graph_of(&snapshot, &request, Viewer::SignedIn);
            format.write(&graph, &mut writer).map_err(io_error)?;
            format!(
                "{} nodes and {} links",
                graph.nodes.len(),
                graph.edges.len()
            )
        }
        ExportFormat::Records(format) => {
            let snapshot = std::sync::Arc::new(snapshot);
            let selection = records::Selection::of(snapshot, &request, Viewer::SignedIn);
            records::write(format, &selection, pool.pool(), &mut writer).map_err(io_error)?;
            format!("records ({} persons)", selection.persons().len())
        }
    };
    writer.flush().map_err(io_error)?;
    if let Some(path) = out {
        println!("{message} written to {}", path.display());
    }
    Ok(())
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::invalid("password", e.to_string()))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn seed_files(conn: &mut db::DbConn, files: &[std::path::PathBuf]) -> Result<String> {
    let report = if files.is_empty() {
        seed::load_builtin(conn)?
    } else {
        let mut texts = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(f)
                .map_err(|e| Error::invalid("file", format!("{}: {e}", f.display())))?;
            texts.push((f.display().to_string(), text));
        }
        seed::load_files(conn, &texts)?
    };
    Ok(report.to_string())
}

/// Reads every file, imports their tables together (one transaction, one import) with a
/// progress bar, and prints what was done or what stands in the way.
fn import_files(
    conn: &mut db::DbConn,
    files: &[std::path::PathBuf],
    mut options: knotenpunkt::import::ImportOptions,
) -> Result<String> {
    use knotenpunkt::import::{self, ImportFormat};
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for path in files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let format = ImportFormat::of_file_name(&name)
            .ok_or_else(|| Error::invalid("file", format!("{name}: not .csv, .zip, .xlsx or FollowTheMoney JSON lines (.ftm.json, .jsonl, .ndjson)")))?;
        let bytes = std::fs::read(path)
            .map_err(|e| Error::invalid("file", format!("{}: {e}", path.display())))?;
        match import::read(format, &name, &bytes) {
            Ok(t) => tables.extend(t),
            Err(p) => problems.extend(p),
        }
        names.push(name);
    }
    options.file_name = names.join(", ");
    let report = if problems.is_empty() {
        let total: usize = tables.iter().map(|t| t.rows.len()).sum();
        let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            indicatif::ProgressBar::new(total as u64)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let report = import::run(
            conn,
            &knotenpunkt::domain::Caller::System,
            &options,
            &tables,
            &mut |n| bar.inc(n as u64),
        )?;
        bar.finish_and_clear();
        report
    } else {
        import::ImportReport {
            dry_run: options.dry_run,
            problems,
            ..Default::default()
        }
    };
    for p in &report.problems {
        let place: Vec<String> = [
            Some(p.file.clone()),
            p.table.clone(),
            p.line.map(|l| format!("line {l}")),
            p.column.clone().map(|c| format!("column {c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        eprintln!("{}: {}", place.join(", "), p.message);
    }
    for n in &report.near_matches {
        eprintln!(
            "{}, line {}: \"{}\" nearly matches {} \"{}\" (decide with --near-matches match or create)",
            n.file, n.line, n.label, n.existing_id, n.existing_label
        );
    }
    let c = &report.counts;
    let summary = format!(
        "{} rows: {} created, {} updated, {} unchanged, {} near matches, {} invalid",
        c.rows, c.created, c.updated, c.unchanged, c.near_matches, c.invalid
    );
    if report.dry_run {
        Ok(format!("dry run, nothing written — {summary}"))
    } else if report.written {
        Ok(format!(
            "imported ({}) — {summary}",
            report.import_id.as_deref().unwrap_or_default()
        ))
    } else {
        Err(Error::invalid(
            "file",
            format!("nothing imported — {summary}"),
        ))
    }
}
