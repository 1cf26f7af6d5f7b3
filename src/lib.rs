//! dterms: a Docker glossary for data scientists and ML engineers, in the terminal.
//!
//! The binary is a thin shell around [`run`], which decides presentation once, dispatches the
//! subcommand and writes to any `impl Write`, so every command can be tested into a `Vec<u8>`.

pub mod cli;
pub mod completions;
pub mod english;
pub mod error_text;
pub mod errors;
pub mod explain;
pub mod glossary;
pub mod graph;
pub mod index;
pub mod load;
pub mod lookup;
pub mod manpage;
pub mod pager;
pub mod plain;
pub mod plugin;
pub mod read;
pub mod render;
pub mod schema;
pub mod search;
pub mod shell_words;
pub mod yaml_budget;

use std::fmt;
use std::io::{self, IsTerminal, Read, Write};

use cli::{Cli, ColorWhen, Command};
use glossary::Glossary;
use lookup::{QueryError, Resolution};
use render::{Format, MIN_WIDTH, Presentation, quote, sanitize_line};

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something was found and printed: exit 0.
    Found,
    /// Nothing was found, or the query was ambiguous: exit 1. Stdout is empty.
    NotFound,
    /// The command could not do its work and has said why on stderr (`check` of a file that
    /// cannot be read): exit 2.
    Failed,
}

/// Why a run failed: exit 2.
#[derive(Debug)]
pub enum Error {
    /// The query cannot be looked up.
    Query(QueryError),
    /// The input to `explain` is invalid or unreadable.
    Explain(explain::ExplainError),
    /// A team glossary file is invalid or unreadable: every problem found.
    Glossary(Vec<load::Problem>),
    /// Options that do not go together.
    Usage(String),
    /// Writing the output failed (a closed pipe among other things).
    Io(io::Error),
}

impl Error {
    /// Whether this is a write to a closed pipe, which ends the run quietly and successfully.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(err) if err.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Query(err) => err.fmt(f),
            Error::Explain(err) => err.fmt(f),
            Error::Glossary(problems) => match problems.as_slice() {
                [] => f.write_str("a team glossary could not be loaded"),
                [one] => one.fmt(f),
                [first, rest @ ..] => write!(
                    f,
                    "{first} (and {} more; 'dterms check {}' lists them all)",
                    rest.len(),
                    first.file
                ),
            },
            Error::Usage(message) => f.write_str(message),
            Error::Io(err) => write!(f, "cannot write output: {err}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io(err)
    }
}

impl From<QueryError> for Error {
    fn from(err: QueryError) -> Self {
        Error::Query(err)
    }
}

impl Presentation {
    /// Decides presentation from the flags and the environment: the one place that looks at
    /// the terminal, `NO_COLOR` and `COLUMNS`. Never spawns a process.
    pub fn detect(cli: &Cli) -> Self {
        let terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let styled = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color,
        };
        // One ioctl for width and height, and none when output is not a terminal.
        let size = if terminal {
            terminal_size::terminal_size_of(io::stdout())
        } else {
            None
        };
        let columns = || {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
        };
        let width = cli
            .width
            .map(usize::from)
            .or_else(|| size.map(|(w, _)| usize::from(w.0)))
            .or_else(columns)
            .unwrap_or(80)
            .clamp(MIN_WIDTH, 1000);
        let height = size.map(|(_, h)| usize::from(h.0));
        Presentation {
            format: cli.format,
            styled,
            rich: terminal || cli.color == ColorWhen::Always,
            width,
            page: terminal && !cli.no_pager,
            height,
        }
    }
}

/// The streams a run reads and writes.
pub struct Streams<'a> {
    /// Standard input, read only by `explain -`.
    pub input: &'a mut dyn Read,
    /// Results.
    pub out: &'a mut dyn Write,
    /// Notes, not-found messages and candidates.
    pub err: &'a mut dyn Write,
}

/// Runs a parsed command line: decides presentation, loads team glossaries, runs the command,
/// and pages the output when it is long and on a terminal.
pub fn run(cli: &Cli, streams: Streams<'_>) -> Result<Outcome, Error> {
    let p = Presentation::detect(cli);
    let graph = matches!(cli.command, Command::Graph { .. });
    if matches!(p.format, Format::Dot | Format::Mermaid) && !graph {
        return Err(Error::Usage(
            "--format dot and --format mermaid work only with graph".into(),
        ));
    }
    if p.format == Format::Compose && !matches!(cli.command, Command::Explain { .. }) {
        return Err(Error::Usage(
            "--format compose works only with explain of a docker run or docker create line".into(),
        ));
    }
    // Commands that use no team term never read a team file, so a broken one cannot stop them;
    // check reads only the files it is given. Completions use team terms when they load.
    let glossary = match cli.command {
        Command::Check { .. }
        | Command::Man
        | Command::Explain { .. }
        | Command::Install { .. } => Glossary::builtin(),
        Command::Completions { .. } => match team_glossary(cli, streams.err) {
            Ok(glossary) => glossary,
            Err(e) => {
                writeln!(
                    streams.err,
                    "warning: team glossaries left out: {}",
                    render::quote_to(&e.to_string(), render::MESSAGE_COLUMNS)
                )?;
                Glossary::builtin()
            }
        },
        _ => team_glossary(cli, streams.err)?,
    };
    // Scripts for a shell and roff for man are meant to be redirected, not read.
    let pageable = !matches!(
        cli.command,
        Command::Completions { .. } | Command::Man | Command::Install { .. }
    );
    if !(p.page && pageable) {
        return execute(&cli.command, &glossary, &p, streams);
    }
    let Streams { input, out, err } = streams;
    let mut buffer = Vec::new();
    let outcome = execute(
        &cli.command,
        &glossary,
        &p,
        Streams {
            input,
            out: &mut buffer,
            err,
        },
    )?;
    let dterms_pager = std::env::var("DTERMS_PAGER").ok();
    let pager = std::env::var("PAGER").ok();
    pager::show(
        &buffer,
        p.height,
        pager::command(dterms_pager.as_deref(), pager.as_deref()),
        out,
    )?;
    Ok(outcome)
}

/// The built-in glossary with the team glossaries from `--glossary`, `DTERMS_GLOSSARY` and the
/// config folder merged in. With none configured, this is one directory look-up. Entries of the
/// config folder that are not regular files are skipped with a warning on `err`.
fn team_glossary(cli: &Cli, err: &mut dyn Write) -> Result<Glossary, Error> {
    let env = std::env::var_os("DTERMS_GLOSSARY");
    let config = load::config_dir(
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    );
    let found = load::discover(&cli.glossary, env.as_deref(), config.as_deref());
    for warning in &found.warnings {
        writeln!(
            err,
            "warning: {}",
            render::quote_to(warning, render::MESSAGE_COLUMNS)
        )?;
    }
    if found.files.is_empty() {
        return Ok(Glossary::builtin());
    }
    let loaded = load::load(&found.files, Glossary::builtin().terms());
    if !loaded.problems.is_empty() {
        return Err(Error::Glossary(loaded.problems));
    }
    Ok(Glossary::with_team_terms(loaded.terms, loaded.categories))
}

/// `dterms check`: every problem, sorted, one `FILE:LINE:COL: message` line each, then a
/// summary; or one line per clean file. Files that cannot be checked are reported on stderr
/// and make the exit status 2.
fn check(
    files: &[std::path::PathBuf],
    p: &Presentation,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let loaded = load::load(files, Glossary::builtin().terms());
    let fatal = loaded.problems.iter().any(|p| p.fatal);
    let outcome = if fatal {
        Outcome::Failed
    } else if loaded.problems.is_empty() {
        Outcome::Found
    } else {
        Outcome::NotFound
    };
    if p.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            ok: bool,
            files: &'a [load::FileSummary],
            problems: &'a [load::Problem],
        }
        render::json(
            out,
            &Report {
                ok: loaded.problems.is_empty(),
                files: &loaded.files,
                problems: &loaded.problems,
            },
        )?;
        return Ok(outcome);
    }
    let line = |text: &str| render::quote_to(text, render::MESSAGE_COLUMNS).into_owned();
    for problem in &loaded.problems {
        if problem.fatal {
            writeln!(err, "error: {}", line(&problem.to_string()))?;
        } else {
            writeln!(out, "{}", line(&problem.to_string()))?;
        }
    }
    let with_problems: std::collections::HashSet<&str> =
        loaded.problems.iter().map(|p| p.file.as_str()).collect();
    for file in loaded.files.iter().filter(|f| !f.duplicate) {
        if with_problems.contains(file.file.as_str()) {
            continue;
        }
        let categories = match file.categories {
            0 => String::new(),
            1 => ", 1 category".to_owned(),
            n => format!(", {n} categories"),
        };
        writeln!(
            out,
            "{}: ok, {} term(s){categories}",
            line(&file.file),
            file.terms
        )?;
    }
    if !loaded.problems.is_empty() {
        let count = loaded.problems.len();
        writeln!(
            out,
            "{count} problem{} in {} of {} file(s)",
            if count == 1 { "" } else { "s" },
            with_problems.len(),
            loaded.files.iter().filter(|f| !f.duplicate).count() + {
                // Files that could not be read have no summary of their own.
                let unread: std::collections::HashSet<&str> = loaded
                    .problems
                    .iter()
                    .filter(|p| p.fatal)
                    .map(|p| p.file.as_str())
                    .filter(|f| !loaded.files.iter().any(|s| s.file == *f))
                    .collect();
                unread.len()
            }
        )?;
    }
    Ok(outcome)
}

/// Runs one subcommand against a glossary with a given presentation.
pub fn execute(
    command: &Command,
    glossary: &Glossary,
    p: &Presentation,
    streams: Streams<'_>,
) -> Result<Outcome, Error> {
    let Streams { input, out, err } = streams;
    match command {
        Command::Show { term } => {
            let query = lookup::query_from_words(term)?;
            show(glossary, &query, p, out, err)
        }
        Command::List {
            errors: true,
            names,
            ..
        } => {
            explain::error::write_list(out, errors::entries(), *names, p)?;
            Ok(Outcome::Found)
        }
        Command::List {
            category, names, ..
        } => {
            let category = match category {
                Some(name) => Some(glossary.category(name).ok_or_else(|| {
                    let ids: Vec<&str> = glossary.categories().iter().map(|c| &*c.id).collect();
                    Error::Usage(format!(
                        "no category '{}'; possible values: {}",
                        quote(name),
                        ids.join(", ")
                    ))
                })?),
                None => None,
            };
            let terms: Vec<_> = glossary
                .terms()
                .iter()
                .filter(|t| category.is_none_or(|c| t.category == c.id))
                .collect();
            render::term_list(out, glossary, &terms, *names, p)?;
            Ok(Outcome::Found)
        }
        Command::Search { query, limit } => {
            let query = lookup::query_from_words(query)?;
            let limit = usize::from(*limit);
            let answer = search::answer(glossary, &query, limit);
            match answer.shown() {
                // A piece of an error message (`denied: requested access`) that is no whole
                // error finds its entries first; the terms fill the places left.
                search::Shown::EntriesFirst => {
                    let entries = &answer.entries;
                    let shown =
                        &answer.hits[..answer.hits.len().min(limit.saturating_sub(entries.len()))];
                    return explain::error::write_search_hits(out, shown, entries, true, p);
                }
                search::Shown::Answer => {
                    render::search_answer(out, &answer, p)?;
                    return Ok(Outcome::Found);
                }
                search::Shown::Entries => {
                    return explain::error::write_search_hits(out, &[], &answer.entries, true, p);
                }
                search::Shown::Weak => {}
            }
            let hits = answer.hits;
            let shown = sanitize_line(&query);
            if hits.is_empty() {
                writeln!(err, "no term mentions '{shown}'")?;
            } else {
                writeln!(
                    err,
                    "no term matches '{shown}' well; the closest, for what they are worth:"
                )?;
                let weak = &hits[..hits.len().min(CLOSEST)];
                write_candidates(err, weak.iter().map(|hit| hit.term))?;
            }
            writeln!(
                err,
                "hint: try other words, or 'dterms list' to see every term"
            )?;
            Ok(Outcome::NotFound)
        }
        Command::Explain {
            list_tips: true, ..
        } => {
            match p.format {
                Format::Json => render::json(out, &explain::tips_json())?,
                _ => render::document(out, &explain::tips_markdown(), p)?,
            }
            Ok(Outcome::Found)
        }
        Command::Explain {
            kind,
            input: words,
            ignore,
            env_files,
            ..
        } => {
            let explained = {
                let inputs = explain::Inputs {
                    environment: std::env::vars().collect(),
                    env_files: env_files.clone(),
                    dockerfile_ignore: ignore.clone(),
                };
                explain::explain_with(words, *kind, input, &inputs).map_err(Error::Explain)?
            };
            if let explain::Explained::Error { input, .. } = &explained
                && explained.is_unrecognised_error()
            {
                return unrecognised_error(glossary, input, err);
            }
            match p.format {
                Format::Json => render::json(out, &explained)?,
                Format::Compose => match explained.compose_yaml() {
                    Some(yaml) => out.write_all(crate::render::sanitize(yaml).as_bytes())?,
                    None => {
                        return Err(Error::Usage(
                            "--format compose needs a docker run or docker create line".into(),
                        ));
                    }
                },
                _ => render::document(out, &explained.markdown(), p)?,
            }
            // An explanation is a tree of thousands of small allocations (a compose file's
            // parsed YAML included); freeing them one by one costs more than reading some
            // files. The process exits next, which frees them all at once.
            std::mem::forget(explained);
            Ok(Outcome::Found)
        }
        Command::Graph { term, depth } => {
            let map = if term.is_empty() {
                graph::whole(glossary)
            } else {
                let query = lookup::query_from_words(term)?;
                let Some(found) = resolve_or_explain(glossary, &query, err)? else {
                    return Ok(Outcome::NotFound);
                };
                graph::around(glossary, found.term, usize::from(*depth))
            };
            match p.format {
                Format::Json => render::json(out, &map.json())?,
                Format::Mermaid => out.write_all(map.mermaid().as_bytes())?,
                Format::Markdown => write!(out, "```mermaid\n{}```\n", map.mermaid())?,
                Format::Text | Format::Dot | Format::Compose => {
                    out.write_all(map.dot().as_bytes())?
                }
            }
            Ok(Outcome::Found)
        }
        Command::Completions { shell } => {
            completions::write(*shell, glossary, out)?;
            Ok(Outcome::Found)
        }
        Command::Check { files } => check(files, p, out, err),
        Command::Man => {
            manpage::write(out)?;
            Ok(Outcome::Found)
        }
        Command::Install {
            target: cli::InstallTarget::DockerPlugin,
            dry_run,
        } => {
            let dir = plugin::plugin_dir(
                std::env::var_os("DOCKER_CONFIG").as_deref(),
                std::env::var_os("HOME").as_deref(),
            )
            .ok_or_else(|| {
                Error::Usage(
                    "neither DOCKER_CONFIG nor HOME is set: no docker config folder".into(),
                )
            })?;
            let exe = std::env::current_exe()?;
            plugin::install(&exe, &dir, *dry_run, out)
                .map_err(|e| Error::Usage(format!("cannot install into {}: {e}", dir.display())))?;
            Ok(Outcome::Found)
        }
    }
}

/// Error text in which no known error was found: say so, and offer the glossary terms its
/// first words find, without claiming anything.
fn unrecognised_error(
    glossary: &Glossary,
    text: &str,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    writeln!(
        err,
        "error: no Docker error that dterms knows was found in this text"
    )?;
    // The first words stand for the text: a whole log is no search query.
    let words: Vec<&str> = text.split_whitespace().take(12).collect();
    let hits = search::search(glossary, &words.join(" "), 3);
    if hits.is_empty() {
        writeln!(
            err,
            "hint: 'dterms list --errors' lists the errors dterms knows"
        )?;
    } else {
        let ids: Vec<String> = hits.iter().map(|h| format!("'{}'", h.term.id)).collect();
        writeln!(
            err,
            "hint: related terms: {} ('dterms list --errors' lists the errors dterms knows)",
            ids.join(", ")
        )?;
    }
    Ok(Outcome::NotFound)
}

fn show(
    glossary: &Glossary,
    query: &str,
    p: &Presentation,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    // An error entry's id (`show oom-killed-137`, or with spaces for hyphens).
    if let Some(entry) = errors::get(&query.trim().to_ascii_lowercase().replace(' ', "-")) {
        explain::error::write_entry(out, entry, p)?;
        return Ok(Outcome::Found);
    }
    let Some(found) = resolve_or_explain(glossary, query, err)? else {
        return Ok(Outcome::NotFound);
    };
    if let Some(origin) = glossary.origin(found.term)
        && origin.replaces_builtin
    {
        writeln!(
            err,
            "note: '{}' comes from {}, replacing the built-in term",
            sanitize_line(&found.term.name),
            sanitize_line(&origin.file)
        )?;
    }
    render::term_page(out, glossary, &found, query, p)?;
    Ok(Outcome::Found)
}

/// How many candidates an ambiguous query lists; a one-letter query can match dozens.
const MAX_CANDIDATES: usize = 8;

/// How many search hits a query that names no term lists.
const CLOSEST: usize = 3;

/// One line per term: id and summary, ids aligned.
fn write_candidates<'g>(
    err: &mut dyn Write,
    terms: impl Iterator<Item = &'g schema::Term> + Clone,
) -> io::Result<()> {
    let width = terms.clone().map(|t| t.id.len()).max().unwrap_or(0);
    for term in terms {
        writeln!(
            err,
            "  {:width$}  {}",
            term.id,
            sanitize_line(&term.summary)
        )?;
    }
    Ok(())
}

/// Resolves a query to one term, saying on `err` what happened when it is a guess, several
/// terms, or none.
fn resolve_or_explain<'g>(
    glossary: &'g Glossary,
    query: &str,
    err: &mut dyn Write,
) -> Result<Option<lookup::Match<'g>>, Error> {
    let shown = quote(query);
    match lookup::resolve(glossary, query) {
        Resolution::Found(found) => {
            if found.kind == lookup::MatchKind::Fuzzy {
                writeln!(
                    err,
                    "showing '{}' for '{shown}'",
                    sanitize_line(&found.term.name)
                )?;
            }
            Ok(Some(found))
        }
        Resolution::Ambiguous(candidates) => {
            writeln!(err, "error: '{shown}' could mean several terms:")?;
            let shown_candidates = &candidates[..candidates.len().min(MAX_CANDIDATES)];
            write_candidates(err, shown_candidates.iter().copied())?;
            if candidates.len() > MAX_CANDIDATES {
                let more = candidates.len() - MAX_CANDIDATES;
                writeln!(err, "  … and {more} more: type a few more letters")?;
            }
            writeln!(err, "hint: run the command again with one of these")?;
            Ok(None)
        }
        Resolution::NotFound => {
            let mut closest = search::search(glossary, query, CLOSEST);
            closest.retain(|hit| hit.confident && lookup::names_part_of(hit.term, query));
            if closest.is_empty() {
                writeln!(err, "error: no term '{shown}'")?;
                writeln!(err, "hint: 'dterms list' shows every term")?;
            } else {
                writeln!(err, "error: no term '{shown}'; closest in the glossary:")?;
                write_candidates(err, closest.iter().map(|hit| hit.term))?;
                writeln!(err, "hint: 'dterms search {shown}' ranks every match")?;
            }
            Ok(None)
        }
    }
}
