//! Dockerfiles: [`parse`] reads the file by BuildKit's rules, [`stages`] works out stages,
//! variables and what depends on what (once, into indexes), [`reading`] says what each
//! instruction means, and [`tips`] runs the rule table.

pub mod expand;
mod markdown;
pub mod parse;
pub mod reading;
pub mod script;
pub mod stages;
pub mod tips;

use std::fmt;

pub use parse::{Args, Directive, Heredoc, Instruction, Parsed, parse};
pub use stages::Stage;
pub use tips::Tip;

use super::shorten;

/// A syntax error, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// One instruction, explained.
// Serialized in the JSON's key order (alphabetical).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explained {
    /// Heredocs attached to it.
    pub heredocs: Vec<Heredoc>,
    /// The keyword.
    pub instruction: std::borrow::Cow<'static, str>,
    /// Line where it starts.
    pub line: usize,
    /// What this line does.
    pub meaning: String,
    /// Index of its stage; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
    /// The instruction as written.
    pub text: String,
}

/// The whole reading of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Parser directives.
    pub directives: Vec<Directive>,
    /// Build stages.
    pub stages: Vec<Stage>,
    /// Every instruction.
    pub instructions: Vec<Explained>,
    /// Suggestions, in line order.
    pub tips: Vec<Tip>,
    /// What the reading assumed, such as the build platform.
    pub assumptions: Vec<String>,
}

/// The JSON document of an explained Dockerfile (`kind` `dockerfile`), serialized straight from
/// the explanation; keys in alphabetical order, as the documented shape has them.
#[derive(serde::Serialize)]
pub struct Json<'a> {
    /// What the reading assumed.
    pub assumptions: &'a [String],
    /// Parser directives.
    pub directives: &'a [Directive],
    /// Every instruction.
    pub instructions: &'a [Explained],
    /// Always `dockerfile`.
    pub kind: &'static str,
    /// The path, or `-` for standard input.
    pub path: &'a str,
    /// Build stages.
    pub stages: &'a [Stage],
    /// Suggestions, in line order.
    pub tips: &'a [Tip],
}

impl Explanation {
    /// The JSON document for this explanation of the file at `path`.
    pub fn json<'a>(&'a self, path: &'a str) -> Json<'a> {
        Json {
            assumptions: &self.assumptions,
            directives: &self.directives,
            instructions: &self.instructions,
            kind: "dockerfile",
            path,
            stages: &self.stages,
            tips: &self.tips,
        }
    }
}

/// What the caller can change about the reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Tip ids not to report.
    pub ignore: Vec<String>,
    /// Patterns from the build context's `.dockerignore`, when known.
    pub dockerignore: Option<Vec<String>>,
}

/// Parses and explains a Dockerfile with the default options.
pub fn explain(source: &str) -> Result<Explanation, SyntaxError> {
    explain_with(source, &Options::default())
}

/// Parses and explains a Dockerfile.
pub fn explain_with(source: &str, options: &Options) -> Result<Explanation, SyntaxError> {
    let mut parsed = parse(source)?;
    let mut analysis = stages::analyze(&parsed)?;
    // The shell commands of every RUN, split once for the readings and the rules.
    let scripts = tips::scripts(&parsed);
    let meanings: Vec<_> = parsed
        .instructions
        .iter()
        .zip(&scripts)
        .enumerate()
        .map(|(i, (instruction, script))| reading::meaning(instruction, i, &analysis, script))
        .collect();
    let tips = tips::run(&parsed, &analysis, options, scripts);
    // The parsed text moves into the explanation: nothing is copied.
    let instructions = parsed
        .instructions
        .iter_mut()
        .zip(meanings)
        .zip(&analysis.stage_of)
        .map(|((instruction, (meaning, terms)), stage)| Explained {
            line: instruction.line,
            instruction: std::mem::take(&mut instruction.keyword),
            stage: *stage,
            text: std::mem::take(&mut instruction.text),
            meaning,
            terms,
            heredocs: std::mem::take(&mut instruction.heredocs),
        })
        .collect();
    Ok(Explanation {
        directives: std::mem::take(&mut parsed.directives),
        stages: std::mem::take(&mut analysis.stages),
        instructions,
        tips,
        assumptions: std::mem::take(&mut analysis.assumptions),
    })
}
