//! Dockerfiles: [`parse`] reads the file by BuildKit's rules, [`stages`] works out stages,
//! variables and what depends on what (once, into indexes), [`reading`] says what each
//! instruction means, and [`tips`] runs the rule table.

pub mod expand;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// Line where it starts.
    pub line: usize,
    /// The keyword.
    pub instruction: String,
    /// Index of its stage; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    /// The instruction as written.
    pub text: String,
    /// What this line does.
    pub meaning: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
    /// Heredocs attached to it.
    pub heredocs: Vec<Heredoc>,
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
    let parsed = parse(source)?;
    let analysis = stages::analyze(&parsed)?;
    let instructions = parsed
        .instructions
        .iter()
        .enumerate()
        .map(|(i, instruction)| {
            let (meaning, terms) = reading::meaning(instruction, i, &analysis);
            Explained {
                line: instruction.line,
                instruction: instruction.keyword.clone(),
                stage: analysis.stage_of[i],
                text: instruction.text.clone(),
                meaning,
                terms,
                heredocs: instruction.heredocs.clone(),
            }
        })
        .collect();
    let tips = tips::run(&parsed, &analysis, options);
    Ok(Explanation {
        directives: parsed.directives.clone(),
        stages: analysis.stages.clone(),
        instructions,
        tips,
        assumptions: analysis.assumptions.clone(),
    })
}
