//! The `dterms` binary: parse the command line, run it, map the outcome to an exit code.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dterms::plugin::{self, Invocation};
use dterms::render::{MESSAGE_COLUMNS, quote_to};
use dterms::{Outcome, Streams, cli::Cli};

fn main() -> ExitCode {
    // Run by docker as the `terms` plugin: its metadata and hook requests are answered here,
    // and its own arguments removed from a command line.
    let started_by_docker = std::env::var_os(plugin::REEXEC_ENV).is_some();
    let args = match plugin::route(std::env::args_os().collect(), started_by_docker) {
        Invocation::Run(args) => args,
        other => {
            let mut out = io::stdout().lock();
            return match plugin::answer(&other, &mut out).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            };
        }
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // Help and version go to stdout as clap prints them. Usage errors echo the user's
        // arguments, so each line is sanitized and cut before it reaches the terminal.
        Err(err) if !err.use_stderr() => err.exit(),
        Err(err) => {
            let mut stderr = io::stderr().lock();
            for line in err.render().to_string().lines() {
                let _ = writeln!(stderr, "{}", quote_to(line, MESSAGE_COLUMNS));
            }
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    let streams = Streams {
        input: &mut io::stdin().lock(),
        out: &mut out,
        err: &mut err,
    };
    let result = dterms::run(&cli, streams)
        .and_then(|outcome| out.flush().map(|()| outcome).map_err(Into::into));
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NotFound) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        // Like ripgrep: a reader that stopped early (`dterms list | head -1`) is not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote what the user gave (a reference, a file's contents): no escapes,
            // and never more than one line of reasonable length.
            let _ = writeln!(err, "error: {}", quote_to(&e.to_string(), MESSAGE_COLUMNS));
            ExitCode::from(2)
        }
    }
}
