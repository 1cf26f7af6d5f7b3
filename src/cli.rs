//! The command line: every subcommand, flag and option, declared with clap's derive API, and
//! the parsed [`Cli`] the library runs.
//!
//! dterms' own options (`--color`, `--format`, `--width`, `--glossary`, `--no-pager`) are
//! accepted before and after the subcommand. They are not clap "global" arguments: clap copies
//! those into every subcommand on every run, which with eight subcommands cost a tenth of
//! dterms' start-up. Instead each subcommand flattens them in, its arguments are built only
//! when it is the one used (`Command::defer`), and the two places are merged after parsing.

use std::path::PathBuf;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::render::Format;

const AFTER_HELP: &str = "\
Examples:
  dterms show image            what an image is, and what it relates to
  dterms show contianer        typos are forgiven: shows Container
  dterms list --category run   the terms about running containers
  dterms search gpu            every term that talks about GPUs
  dterms explain python:3.12-slim           what each part of an image name means
  dterms explain docker run -it --rm alpine what each option of a command does
  docker build . 2>&1 | dterms explain -    what went wrong, why, and how to fix it
  dterms graph image | dot -Tsvg > image.svg
  dterms --glossary team.yaml show feature-store

Exit status: 0 found, 1 not found (or ambiguous, no good search hit, check found problems), 2 error.
Environment: NO_COLOR (set and non-empty) turns styles off unless --color=always;
COLUMNS sets the width when output is not a terminal; DTERMS_GLOSSARY lists team glossary
files (also read from ~/.config/dterms/*.yaml); DTERMS_PAGER or PAGER pages long output.
More in 'dterms man'.";

/// A parsed command line, with dterms' options resolved wherever they were written.
#[derive(Debug)]
pub struct Cli {
    /// When to style output.
    pub color: ColorWhen,
    /// Output format.
    pub format: Format,
    /// Columns to wrap to, when given.
    pub width: Option<u16>,
    /// Team glossary files given with `--glossary`.
    pub glossary: Vec<PathBuf>,
    /// Whether `--no-pager` was given.
    pub no_pager: bool,
    /// What to do.
    pub command: Command,
}

/// The subcommands, with their own arguments.
#[derive(Debug)]
pub enum Command {
    /// Explain one term.
    Show {
        /// The words of the query.
        term: Vec<String>,
    },
    /// List every term.
    List {
        /// Only this category, by id in any case (checked against the loaded categories).
        category: Option<String>,
        /// Only ids.
        names: bool,
        /// The Docker error messages dterms knows, instead of terms.
        errors: bool,
    },
    /// Search the glossary.
    Search {
        /// The words of the query.
        query: Vec<String>,
        /// At most this many hits.
        limit: u16,
    },
    /// Take apart a reference, a command line, a Dockerfile or a compose file.
    Explain {
        /// Read the input as this kind instead of guessing.
        kind: Option<ExplainKind>,
        /// The input words.
        input: Vec<String>,
        /// Variables for a compose file's interpolation, instead of the .env beside it.
        env_files: Vec<PathBuf>,
        /// Dockerfile tip ids not to report.
        ignore: Vec<String>,
        /// List every Dockerfile tip instead of explaining anything.
        list_tips: bool,
    },
    /// Print the map of terms.
    Graph {
        /// The term to centre on; empty for the whole glossary.
        term: Vec<String>,
        /// How many links away to go.
        depth: u8,
    },
    /// Check team glossary files.
    Check {
        /// The files.
        files: Vec<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page.
    Man,
    /// Install dterms somewhere.
    Install {
        /// Where.
        target: InstallTarget,
        /// Only say what would be done.
        dry_run: bool,
    },
}

/// What `dterms install` installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InstallTarget {
    /// dterms as the docker CLI plugin `docker terms`, in $DOCKER_CONFIG/cli-plugins (default
    /// ~/.docker/cli-plugins).
    DockerPlugin,
}

/// dterms' own options, written before or after the subcommand.
#[derive(Debug, Clone, Default, Args)]
struct Options {
    /// When to style output: auto (the default) styles only on a terminal, and not when
    /// NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN")]
    color: Option<ColorWhen>,

    /// Output format: text (the default) for people, markdown source, JSON for programs; dot
    /// or mermaid for graph.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,

    /// Wrap text to this many columns (default: the terminal's width, else $COLUMNS, else 80).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..=1000))]
    width: Option<u16>,

    /// Also load this team glossary file (repeatable; see DTERMS_GLOSSARY).
    #[arg(long = "glossary", value_name = "FILE")]
    glossary: Vec<PathBuf>,

    /// Never send long output through a pager.
    #[arg(long)]
    no_pager: bool,
}

impl Options {
    /// These options with `later` ones (written further right) taking precedence.
    fn then(mut self, later: Options) -> Options {
        self.color = later.color.or(self.color);
        self.format = later.format.or(self.format);
        self.width = later.width.or(self.width);
        self.glossary.extend(later.glossary);
        self.no_pager |= later.no_pager;
        self
    }
}

/// A Docker glossary for data scientists and ML engineers, in your terminal.
///
/// dterms explains Docker's words (image, container, tag, volume, registry…) in plain
/// language, offline, with every related idea one command away.
#[derive(Debug, Parser)]
#[command(name = "dterms", version, after_help = AFTER_HELP, max_term_width = 100)]
struct RawCli {
    #[command(flatten)]
    options: Options,

    #[command(subcommand)]
    command: RawCommand,
}

const SHOW_ABOUT: &str =
    "Explain one term: what it is, an analogy, examples, and the terms around it";
const LIST_ABOUT: &str = "List every term, grouped by category, with its one-line summary";
const SEARCH_ABOUT: &str =
    "Search names, aliases, summaries, bodies and examples, best matches first";
const EXPLAIN_ABOUT: &str =
    "Take apart an image name, command line, Dockerfile or compose file, or a Docker error";
const GRAPH_ABOUT: &str = "Print the map of terms as Graphviz DOT or a Mermaid flowchart";
const CHECK_ABOUT: &str =
    "Check team glossary files and report every problem, one per line as FILE:LINE:COL";
const COMPLETIONS_ABOUT: &str =
    "Print a shell completion script; term names complete after `show` and `graph`";
const MAN_ABOUT: &str = "Print the man page (roff)";
const INSTALL_ABOUT: &str =
    "Install dterms as the docker CLI plugin `docker terms` (with an error hook)";

#[derive(Debug, Args)]
#[command(about = SHOW_ABOUT, long_about = concat!(
    "Explain one term: what it is, an analogy, examples, and the terms around it.\n\n",
    "The words are joined, so `show image id` looks up \"image id\". Case, spaces, hyphens, ",
    "underscores and dots don't matter, plurals and a leading \"docker\" are forgiven, a unique ",
    "prefix is enough, and typos are corrected when one term is clearly meant.\n\n",
    "Every word after `show` is the term, even one that starts with `-` (`show -it`): put ",
    "dterms' own options before `show`, or after the term written exactly (`--format json`)."))]
struct ShowArgs {
    /// The term: an id, name or alias, such as `image`, `image id`, `repo` or `-it`.
    #[arg(
        required = true,
        value_name = "TERM",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    term: Vec<String>,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = LIST_ABOUT, long_about = concat!(
    "List every term, grouped by category, with its one-line summary.\n\n",
    "On a terminal the list is grouped and aligned; piped, it is one `id<TAB>summary` line ",
    "per term, ready for grep, cut or fzf."))]
struct ListArgs {
    /// Only the terms of this category (built-in: build, image, run, storage, network,
    /// distribution, orchestration, runtime, ml; team glossaries may add their own).
    #[arg(long, short = 'c', value_name = "CATEGORY")]
    category: Option<String>,

    /// Print only the ids, one per line (for scripts and completions).
    #[arg(long)]
    names: bool,

    /// List the Docker error messages dterms recognises (`dterms show ID` explains one).
    #[arg(long, conflicts_with = "category")]
    errors: bool,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = SEARCH_ABOUT, long_about = concat!(
    "Search names, aliases, summaries, bodies and examples, best matches first.\n\n",
    "Pasted Docker error text finds its entry of the error knowledge base first. Terms are ",
    "ranked by where the query's words occur and how rare they are; small typos are ",
    "forgiven. When no term matches well, nothing is printed, the closest weak hits are ",
    "named on stderr, and the exit status is 1.\n\n",
    "Every word after `search` is the query, even one that starts with `-` (`search --gpus`, ",
    "`search -p`): put dterms' own options before `search`, or after the query written ",
    "exactly (`--limit 3`, `--format json`)."))]
struct SearchArgs {
    /// Words to look for, such as `gpu`, `shared memory`, `--gpus` or a pasted error.
    #[arg(
        required = true,
        value_name = "QUERY",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    query: Vec<String>,

    /// Show at most this many hits.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u16).range(1..))]
    limit: u16,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = EXPLAIN_ABOUT, long_about = concat!(
    "Take apart an image reference, a docker command line, a Dockerfile or a compose file, term by term, ",
    "or explain a Docker error message: what happened, why, and how to fix it.\n\n",
    "A path to an existing file, or - for standard input, is read as a compose file when its ",
    "name (compose.yaml, docker-compose.yml, *.yaml…) or a top-level services: line says so; ",
    "as a Dockerfile when its name says so or it starts with an instruction; and otherwise as ",
    "output in which to recognise Docker errors (`docker run … 2>&1 | dterms explain -`). ",
    "Words starting with docker on one line are a command line (as separate words, or as one ",
    "quoted string); other text of several words is an error message; one word is an image ",
    "reference, unless it is named like a file (compose.yaml, Dockerfile.gpu): then that file ",
    "must exist. --as error reads any input as error text. Every word after docker belongs to ",
    "the command line, so put dterms' own options before `explain` there."),
    after_help = "Examples:\n  \
        dterms explain nvcr.io/nvidia/pytorch:24.05-py3\n  \
        dterms explain docker run -it --rm --gpus all -p 127.0.0.1:8888:8888 quay.io/jupyter/pytorch-notebook:cuda12-latest\n  \
        dterms explain 'docker build -t my-model:dev -f docker/Dockerfile .'\n  \
        dterms explain Dockerfile\n  \
        dterms explain compose.yaml --env-file .env.dev\n  \
        dterms explain Dockerfile --ignore pip-unpinned,apt-pin-versions\n  \
        dterms explain --list-tips\n  \
        cat Dockerfile | dterms --format json explain -\n  \
        dterms explain 'docker: Error response from daemon: could not select device driver \"\" with capabilities: [[gpu]].'\n  \
        docker compose up 2>&1 | dterms explain -\n\n\
        Silence a Dockerfile tip for one instruction with a comment on the line before it:\n  \
        # dterms-ignore=ID[,ID]   (BuildKit's # check=skip=ID works too)")]
struct ExplainArgs {
    /// Read the input as this kind instead of guessing.
    #[arg(long = "as", value_enum, value_name = "KIND")]
    kind: Option<ExplainKind>,

    /// For a compose file: read variables from this file instead of the .env beside it
    /// (repeatable; later files win).
    #[arg(long = "env-file", value_name = "FILE")]
    env_files: Vec<PathBuf>,

    /// Do not report this Dockerfile tip (an id from --list-tips); repeat it or give a comma list.
    #[arg(long = "ignore", value_name = "ID", value_delimiter = ',')]
    ignore: Vec<String>,

    /// List every Dockerfile tip: its id, the linter rule it matches, and what it checks.
    #[arg(long = "list-tips")]
    list_tips: bool,

    /// An image reference, a docker command line, or a Dockerfile path (- for stdin).
    #[arg(
        required_unless_present = "list_tips",
        value_name = "INPUT",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    input: Vec<String>,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = GRAPH_ABOUT, long_about = concat!(
    "Print the map of terms as Graphviz DOT or a Mermaid flowchart.\n\n",
    "Without a term, the whole glossary; with one, its neighbourhood to --depth links ",
    "(followed both ways). Nodes are grouped by category; related links are solid, links ",
    "inside definitions dashed. --format dot (the default), mermaid, markdown (a mermaid ",
    "block) or json."),
    after_help = "Example:\n  dterms graph image | dot -Tsvg > image.svg")]
struct GraphArgs {
    /// The term to centre on; the whole glossary when omitted.
    #[arg(value_name = "TERM")]
    term: Vec<String>,

    /// How many links away from the term to go.
    #[arg(long, short = 'd', value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(0..=10))]
    depth: u8,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = CHECK_ABOUT, long_about = concat!(
    "Check team glossary files and report every problem, one per line as FILE:LINE:COL.\n\n",
    "Files are checked against the built-in glossary: ids and aliases must not clash with it ",
    "(a term with a built-in id replaces that term on purpose), and links may point to it. ",
    "Exit status 0 when every file is clean, 1 when there are problems."))]
struct CheckArgs {
    /// The glossary files.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = COMPLETIONS_ABOUT,
    after_help = "Install:\n  \
        bash: dterms completions bash > ~/.local/share/bash-completion/completions/dterms\n  \
        zsh:  dterms completions zsh > ~/.zfunc/_dterms   (with fpath+=(~/.zfunc) before compinit)\n  \
        fish: dterms completions fish > ~/.config/fish/completions/dterms.fish")]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    shell: clap_complete::Shell,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = MAN_ABOUT, after_help = "Install:\n  dterms man > ~/.local/share/man/man1/dterms.1")]
struct ManArgs {
    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Args)]
#[command(about = INSTALL_ABOUT, long_about = concat!(
    "Install dterms as the docker CLI plugin `docker terms`: a link to this binary (a copy on ",
    "Windows) named docker-terms in $DOCKER_CONFIG/cli-plugins, by default ",
    "~/.docker/cli-plugins. Then `docker terms show image` works, and with Docker 29.3 or later ",
    "and the config.json lines it prints, a failed docker command is followed by dterms' ",
    "short cause and fix under \"What's next:\"."),
    after_help = "Example:\n  dterms install docker-plugin --dry-run")]
struct InstallArgs {
    /// What to install: docker-plugin.
    #[arg(value_enum, value_name = "WHAT")]
    target: InstallTarget,

    /// Only print what would be done.
    #[arg(long)]
    dry_run: bool,

    #[command(flatten)]
    options: Options,
}

#[derive(Debug)]
enum RawCommand {
    Show(ShowArgs),
    List(ListArgs),
    Search(SearchArgs),
    Explain(ExplainArgs),
    Graph(GraphArgs),
    Check(CheckArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Install(InstallArgs),
}

/// Each subcommand's name, its one-line help (needed at once for `dterms --help`), and how
/// to add its arguments (deferred until it is used).
type Augment = fn(clap::Command) -> clap::Command;
const SUBCOMMANDS: [(&str, &str, Augment); 9] = [
    ("show", SHOW_ABOUT, <ShowArgs as Args>::augment_args),
    ("list", LIST_ABOUT, <ListArgs as Args>::augment_args),
    ("search", SEARCH_ABOUT, <SearchArgs as Args>::augment_args),
    (
        "explain",
        EXPLAIN_ABOUT,
        <ExplainArgs as Args>::augment_args,
    ),
    ("graph", GRAPH_ABOUT, <GraphArgs as Args>::augment_args),
    ("check", CHECK_ABOUT, <CheckArgs as Args>::augment_args),
    (
        "completions",
        COMPLETIONS_ABOUT,
        <CompletionsArgs as Args>::augment_args,
    ),
    ("man", MAN_ABOUT, <ManArgs as Args>::augment_args),
    (
        "install",
        INSTALL_ABOUT,
        <InstallArgs as Args>::augment_args,
    ),
];

impl Subcommand for RawCommand {
    fn augment_subcommands(command: clap::Command) -> clap::Command {
        SUBCOMMANDS
            .iter()
            .fold(command, |command, &(name, about, augment)| {
                command.subcommand(clap::Command::new(name).about(about).defer(augment))
            })
    }

    fn augment_subcommands_for_update(command: clap::Command) -> clap::Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        SUBCOMMANDS.iter().any(|(known, _, _)| *known == name)
    }
}

impl FromArgMatches for RawCommand {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, mut sub)) = matches.remove_subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let sub = &mut sub;
        Ok(match name.as_str() {
            "show" => RawCommand::Show(ShowArgs::from_arg_matches_mut(sub)?),
            "list" => RawCommand::List(ListArgs::from_arg_matches_mut(sub)?),
            "search" => RawCommand::Search(SearchArgs::from_arg_matches_mut(sub)?),
            "explain" => RawCommand::Explain(ExplainArgs::from_arg_matches_mut(sub)?),
            "graph" => RawCommand::Graph(GraphArgs::from_arg_matches_mut(sub)?),
            "check" => RawCommand::Check(CheckArgs::from_arg_matches_mut(sub)?),
            "completions" => RawCommand::Completions(CompletionsArgs::from_arg_matches_mut(sub)?),
            "man" => RawCommand::Man(ManArgs::from_arg_matches_mut(sub)?),
            "install" => RawCommand::Install(InstallArgs::from_arg_matches_mut(sub)?),
            other => {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("unknown subcommand '{other}'"),
                ));
            }
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl RawCli {
    /// The command line the library runs: subcommand options merged over top-level ones.
    fn resolve(self) -> Result<Cli, clap::Error> {
        let (options, mut command) = match self.command {
            RawCommand::Show(a) => (a.options, Command::Show { term: a.term }),
            RawCommand::List(a) => (
                a.options,
                Command::List {
                    category: a.category,
                    names: a.names,
                    errors: a.errors,
                },
            ),
            RawCommand::Search(a) => (
                a.options,
                Command::Search {
                    query: a.query,
                    limit: a.limit,
                },
            ),
            RawCommand::Explain(a) => (
                a.options,
                Command::Explain {
                    kind: a.kind,
                    input: a.input,
                    env_files: a.env_files,
                    ignore: a.ignore,
                    list_tips: a.list_tips,
                },
            ),
            RawCommand::Graph(a) => (
                a.options,
                Command::Graph {
                    term: a.term,
                    depth: a.depth,
                },
            ),
            RawCommand::Check(a) => (a.options, Command::Check { files: a.files }),
            RawCommand::Completions(a) => (a.options, Command::Completions { shell: a.shell }),
            RawCommand::Man(a) => (a.options, Command::Man),
            RawCommand::Install(a) => (
                a.options,
                Command::Install {
                    target: a.target,
                    dry_run: a.dry_run,
                },
            ),
        };
        let mut options = self.options.then(options);
        match &mut command {
            Command::Explain {
                kind,
                input,
                env_files,
                ignore,
                ..
            } => {
                if let Some(trailing) = take_trailing_options(input) {
                    options = options.then(trailing.options);
                    *kind = trailing.kind.or(*kind);
                    env_files.extend(trailing.env_files);
                    ignore.extend(trailing.ignore);
                }
            }
            Command::Show { term } => {
                if let Some(trailing) = take_query_options::<QueryOptions>(term)? {
                    options = options.then(trailing.options);
                }
            }
            Command::Search { query, limit } => {
                if let Some(trailing) = take_query_options::<SearchOptions>(query)? {
                    options = options.then(trailing.options);
                    *limit = trailing.limit.unwrap_or(*limit);
                }
            }
            _ => {}
        }
        Ok(Cli {
            color: options.color.unwrap_or(ColorWhen::Auto),
            format: options.format.unwrap_or(Format::Text),
            width: options.width,
            glossary: options.glossary,
            no_pager: options.no_pager,
            command,
        })
    }
}

/// What `explain` reads its input as.
pub use crate::explain::Kind as ExplainKind;

/// When to style output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Style when printing to a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always style, even when piped.
    Always,
    /// Never style.
    Never,
}

/// dterms' own options written after the input of `explain`, which takes every word after
/// its first as input (so that `explain docker run -it …` needs no `--`).
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct TrailingOptions {
    #[command(flatten)]
    options: Options,

    #[arg(long = "as", value_enum)]
    kind: Option<ExplainKind>,

    #[arg(long = "env-file")]
    env_files: Vec<PathBuf>,

    #[arg(long = "ignore", value_delimiter = ',')]
    ignore: Vec<String>,
}

/// Options after a reference, a path or a quoted command line (`explain Dockerfile --format
/// json`) are dterms' own, not more input: parsed off `input` when they all are. After a
/// `docker …` command line given as words, every word is the command's.
fn take_trailing_options(input: &mut Vec<String>) -> Option<TrailingOptions> {
    let is_command_line = input
        .first()
        .is_some_and(|w| crate::explain::starts_like_a_command(w));
    if input.len() < 2 || is_command_line {
        return None;
    }
    let trailing = TrailingOptions::try_parse_from(&input[1..]).ok()?;
    input.truncate(1);
    Some(trailing)
}

/// dterms' own options written after the term of `show`.
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct QueryOptions {
    #[command(flatten)]
    options: Options,
}

/// dterms' own options and `--limit` written after the query of `search`.
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct SearchOptions {
    #[command(flatten)]
    options: Options,

    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    limit: Option<u16>,
}

/// The words of `show` and `search` are all query, so `search --gpus` and `show -it` work. Only
/// a tail that is wholly dterms' options, written exactly (`search gpu --limit 3 --format
/// json`), is taken off as options: the longest such tail after the first word. A tail of
/// dterms' options with a bad value (`--width 5`) is an error, not more query.
fn take_query_options<T: Parser>(words: &mut Vec<String>) -> Result<Option<T>, clap::Error> {
    for start in (1..words.len()).filter(|&i| words[i].starts_with('-')) {
        match T::try_parse_from(&words[start..]) {
            Ok(parsed) => {
                words.truncate(start);
                return Ok(Some(parsed));
            }
            Err(err) if is_value_error(&err) => return Err(err),
            Err(_) => {}
        }
    }
    Ok(None)
}

/// Whether clap refused a value of an option it knows, rather than a word it does not.
fn is_value_error(err: &clap::Error) -> bool {
    use clap::error::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    )
}

impl Cli {
    /// The clap definition: for help, completions and the man page. Subcommands' arguments
    /// are added when the command is built.
    pub fn command() -> clap::Command {
        RawCli::command()
    }

    /// Parses the process's arguments; see [`Cli::try_parse_from`].
    pub fn parse_args() -> Result<Self, clap::Error> {
        Self::try_parse_from(std::env::args_os())
    }

    /// Parses a command line (see `take_trailing_options` for `explain`'s trailing options).
    pub fn try_parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        if let Some(parsed) = parse_command_line_quickly(&args) {
            return Ok(parsed);
        }
        parse_raw(args)?.resolve()
    }
}

fn parse_raw(args: Vec<std::ffi::OsString>) -> Result<RawCli, clap::Error> {
    let mut command = RawCli::command();
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| RawCli::from_arg_matches_mut(&mut matches));
    // The command definition is a tree of a few hundred allocations, needed until the process
    // exits; freeing it one by one cost a tenth of a `show`. The process's exit frees it.
    std::mem::forget(command);
    parsed
}

/// `explain docker run …` given as words: every word after `docker` is the command line's (see
/// `take_trailing_options`), and clap, which reads them one at a time, spent a quarter of the
/// run on a long line. So clap parses the arguments up to `docker`, and the rest are added to
/// the input as they are. `None` (parse it all with clap) unless that gives an `explain` whose
/// input is exactly that first word, so the result never differs from a full parse.
fn parse_command_line_quickly(args: &[std::ffi::OsString]) -> Option<Cli> {
    let explain = args.iter().position(|a| a == "explain")?;
    let at = explain
        + args[explain..].iter().position(|a| {
            a.to_str()
                .is_some_and(crate::explain::starts_like_a_command)
        })?;
    let first = args[at].to_str()?;
    if args.len() <= at + 1 {
        return None;
    }
    let rest = args[at + 1..]
        .iter()
        .map(|a| a.to_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()?;
    let mut cli = parse_raw(args[..=at].to_vec()).ok()?.resolve().ok()?;
    match &mut cli.command {
        Command::Explain {
            input,
            list_tips: false,
            ..
        } if input.len() == 1 && input[0] == first => {
            input.extend(rest);
            Some(cli)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words_handed_over_as_a_full_parse_reads_them() {
        let lines: &[&[&str]] = &[
            &["explain", "docker", "run", "--rm", "-it", "python:3.12"],
            &[
                "explain", "docker", "run", "--format", "json", "-p", "80:80", "img",
            ],
            &[
                "--format", "json", "explain", "--as", "command", "docker", "ps", "-a",
            ],
            &["explain", "docker", "run", "--", "img", "--help", "-V"],
            &[
                "explain", "sudo", "-E", "docker", "run", "--gpus", "all", "img",
            ],
            &["explain", "docker", "compose", "up", "-d", "--build"],
            &["explain", "podman", "run", "--width", "30", "x"],
        ];
        for line in lines {
            let args: Vec<std::ffi::OsString> = std::iter::once("dterms")
                .chain(line.iter().copied())
                .map(Into::into)
                .collect();
            let quick = parse_command_line_quickly(&args)
                .unwrap_or_else(|| panic!("not taken quickly: {line:?}"));
            let full = parse_raw(args).and_then(RawCli::resolve).expect("parses");
            assert_eq!(format!("{quick:?}"), format!("{full:?}"), "{line:?}");
        }
        // Whatever is not `explain` of command words is left to clap entirely.
        for line in [
            &["search", "explain", "docker", "run"][..],
            &["explain", "python:3.12", "--format", "json"],
            &["explain", "docker"],
            &["explain", "--list-tips", "docker", "run"],
            &["explain", "--ignore", "docker", "docker", "run"],
        ] {
            let args: Vec<std::ffi::OsString> = std::iter::once("dterms")
                .chain(line.iter().copied())
                .map(Into::into)
                .collect();
            assert!(parse_command_line_quickly(&args).is_none(), "{line:?}");
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let before =
            Cli::try_parse_from(["dterms", "--format", "json", "show", "image"]).expect("parses");
        let after =
            Cli::try_parse_from(["dterms", "show", "image", "--format", "json"]).expect("parses");
        assert_eq!(before.format, Format::Json);
        assert_eq!(after.format, Format::Json);
    }

    #[test]
    fn options_after_an_explain_input_are_dterms_options() {
        let cli = Cli::try_parse_from([
            "dterms",
            "explain",
            "python:3.12",
            "--format",
            "json",
            "--as",
            "reference",
        ])
        .expect("parses");
        assert_eq!(cli.format, Format::Json);
        assert!(
            matches!(&cli.command, Command::Explain { input, kind: Some(ExplainKind::Reference), .. } if input == &["python:3.12"])
        );

        let cli = Cli::try_parse_from(["dterms", "explain", "docker", "run", "--format", "json"])
            .expect("parses");
        assert_eq!(
            cli.format,
            Format::Text,
            "a docker command line keeps its words"
        );
        assert!(matches!(&cli.command, Command::Explain { input, .. } if input.len() == 4));

        let cli = Cli::try_parse_from(["dterms", "explain", "docker ps -a", "--width", "60"])
            .expect("parses");
        assert_eq!(cli.width, Some(60), "a quoted command line is one word");
    }

    #[test]
    fn options_merge_with_the_later_ones_winning() {
        let cli = Cli::try_parse_from([
            "dterms",
            "--color",
            "never",
            "--glossary",
            "a.yaml",
            "list",
            "--color",
            "always",
            "--glossary",
            "b.yaml",
            "--no-pager",
        ])
        .expect("parses");
        assert_eq!(cli.color, ColorWhen::Always);
        assert_eq!(
            cli.glossary,
            [PathBuf::from("a.yaml"), PathBuf::from("b.yaml")]
        );
        assert!(cli.no_pager);
        let defaults = Cli::try_parse_from(["dterms", "list"]).expect("parses");
        assert_eq!(
            (defaults.color, defaults.format, defaults.width),
            (ColorWhen::Auto, Format::Text, None)
        );
    }

    #[test]
    fn every_subcommand_is_reachable_and_documented() {
        let mut command = Cli::command();
        command.build();
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
            assert!(
                sub.get_arguments().any(|a| a.get_long() == Some("format")),
                "{} lacks --format",
                sub.get_name()
            );
        }
        assert!(Cli::try_parse_from(["dterms", "man"]).is_ok());
        assert!(Cli::try_parse_from(["dterms", "completions", "zsh"]).is_ok());
    }

    fn query_of(args: &[&str]) -> (Vec<String>, Cli) {
        let cli = Cli::try_parse_from(args).expect("parses");
        let words = match &cli.command {
            Command::Show { term } => term.clone(),
            Command::Search { query, .. } => query.clone(),
            other => panic!("{other:?}"),
        };
        (words, cli)
    }

    #[test]
    fn words_starting_with_a_dash_are_query_words() {
        for args in [
            &["dterms", "show", "-it"][..],
            &["dterms", "show", "-d"],
            &["dterms", "search", "--gpus"],
            &["dterms", "search", "-p"],
            &["dterms", "search", "--env-file"],
            &["dterms", "search", "-v", "vs", "--mount"],
            &["dterms", "search", "what", "does", "--rm", "do"],
        ] {
            let (words, _) = query_of(args);
            assert_eq!(words, args[2..], "{args:?}");
        }
    }

    #[test]
    fn options_written_exactly_after_the_query_are_dterms_options() {
        let (words, cli) =
            query_of(&["dterms", "search", "-p", "--limit", "3", "--format", "json"]);
        assert_eq!(words, ["-p"]);
        assert_eq!(cli.format, Format::Json);
        assert!(matches!(cli.command, Command::Search { limit: 3, .. }));

        let (words, cli) = query_of(&["dterms", "show", "image", "--format", "json"]);
        assert_eq!(words, ["image"]);
        assert_eq!(cli.format, Format::Json);

        // Options before the subcommand or before the query still work.
        let (words, cli) = query_of(&["dterms", "--format", "json", "search", "-n", "2", "--gpus"]);
        assert_eq!(words, ["--gpus"]);
        assert_eq!(cli.format, Format::Json);
        assert!(matches!(cli.command, Command::Search { limit: 2, .. }));

        // A tail that is not wholly dterms' options stays in the query.
        let (words, cli) = query_of(&["dterms", "search", "docker", "run", "-p", "80", "--rm"]);
        assert_eq!(words, ["docker", "run", "-p", "80", "--rm"]);
        assert_eq!(cli.format, Format::Text);
        // dterms' own option with a bad value is an error; quoting makes it query.
        assert!(Cli::try_parse_from(["dterms", "search", "ps", "--format", "{{.ID}}"]).is_err());
        let (words, _) = query_of(&["dterms", "search", "ps --format {{.ID}}"]);
        assert_eq!(words, ["ps --format {{.ID}}"]);
        let (words, _) = query_of(&["dterms", "search", "--limits"]);
        assert_eq!(words, ["--limits"]);
    }

    #[test]
    fn a_category_is_kept_as_written_to_be_checked_once_glossaries_are_loaded() {
        let cli = Cli::try_parse_from(["dterms", "list", "--category", "MLOps"]).expect("parses");
        assert!(matches!(
            cli.command,
            Command::List { category: Some(ref c), .. } if c == "MLOps"
        ));
    }
}
