//! The static tables compiled from `data/docker-cli.yaml` by `build/cli.rs`, and their types.

use super::spec::{Operands, Reader, Then};

/// One option of a command, as Docker defines it.
#[derive(Debug)]
pub struct Opt {
    /// The name after `--`.
    pub long: &'static str,
    /// The letter after `-`, if any.
    pub short: Option<char>,
    /// The reader of its value; `None` for a switch.
    pub value: Option<Reader>,
    /// Whether the value may be left out (then it is given only as `--opt=VALUE`).
    pub optional: bool,
    /// What it does for this command; `{}` stands for the value.
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// For the choice readers: each accepted word and its meaning.
    pub choices: &'static [(&'static str, &'static str)],
    /// The compose service attribute it maps to, for run and create options.
    pub compose: Option<&'static str>,
    /// Hidden from Docker's help.
    pub hidden: bool,
    /// Why it is deprecated, when it is.
    pub deprecated: Option<&'static str>,
}

/// A command such as `run` or `compose up`, with every option it accepts.
#[derive(Debug)]
pub struct Command {
    /// The words after `docker`, space-separated.
    pub name: &'static str,
    /// Other spellings, space-separated.
    pub aliases: &'static [&'static str],
    /// What it does.
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// What its positional arguments are.
    pub operands: Operands,
    /// What the names are, for `Operands::Names`.
    pub operand: &'static str,
    /// Whether options end at the first positional argument.
    pub stop_at_operand: bool,
    /// A remark shown whenever the command is explained.
    pub note: Option<&'static str>,
    /// Its own options, its groups' and inherited persistent ones.
    pub options: &'static [Opt],
}

/// A program that runs docker, such as `sudo` or `nvidia-docker`.
#[derive(Debug)]
pub struct Launcher {
    /// The program's name.
    pub name: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// What follows it.
    pub then: Then,
    /// Its own options.
    pub options: &'static [Opt],
}

/// An environment variable often set in front of docker.
#[derive(Debug)]
pub struct Variable {
    /// Its name.
    pub name: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
}

/// What a `--ulimit` resource's numbers count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UlimitUnit {
    /// Bytes.
    Bytes,
    /// Seconds.
    Seconds,
    /// A plain count.
    Count,
}

/// A resource name `--ulimit` accepts.
#[derive(Debug)]
pub struct UlimitName {
    /// Its name, such as `memlock`.
    pub name: &'static str,
    /// What its numbers count.
    pub unit: UlimitUnit,
    /// What it limits.
    pub meaning: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/docker_cli.rs"));

impl Command {
    /// Whether `spelling` (words joined by spaces) names this command.
    pub fn is_spelled(&self, spelling: &str) -> bool {
        self.name == spelling || self.aliases.contains(&spelling)
    }
}

/// The command spelled `spelling`, such as `run`, `container run` or `builder prune`.
pub fn command(spelling: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.is_spelled(spelling))
}
