//! Stages, computed once: which stage each instruction is in, stage names and `COPY --from`
//! resolved through one index, the ARG and ENV values every instruction sees (expanded as
//! BuildKit does, within the expansion caps), and what the final image inherits.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::expand::{Env, Lexer};
use super::parse::{Instruction, Parsed};
use super::{SyntaxError, shorten};

/// The platform dterms assumes for the automatic platform ARGs.
pub const ASSUMED_PLATFORM: (&str, &str) = ("linux", "amd64");

/// BuildKit's automatic platform ARGs, with their value on the assumed platform.
pub const PLATFORM_ARGS: [(&str, &str); 8] = [
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

/// The most variables copied from stage to stage in one file, summed over stages.
const MAX_INHERITED: usize = 1_000_000;

/// A build stage.
// Serialized in the JSON's key order (alphabetical).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stage {
    /// The image (or earlier stage) named in FROM, as written.
    pub base: String,
    /// The same with ARG defaults substituted.
    pub base_resolved: String,
    /// Stages and images it uses (FROM an earlier stage, COPY --from, RUN --mount from=).
    pub copies_from: Vec<String>,
    /// 0-based position.
    pub index: usize,
    /// Line of its FROM.
    pub line: usize,
    /// The name given with `AS`, as written.
    pub name: Option<String>,
    /// The earlier stage it starts from, if it starts from one.
    #[serde(skip)]
    pub parent: Option<usize>,
    /// `--platform` on its FROM, as written.
    #[serde(skip)]
    pub platform: Option<String>,
}

/// A FROM's `--platform` expanded: the result, the variables that had values, those that had none.
pub type Platform = (String, Vec<String>, Vec<String>);

/// What a stage ends with, for the stages built on it.
#[derive(Debug, Clone, Default)]
pub struct StageEnd {
    /// ENV variables set in this stage or inherited from an earlier stage; shared with the
    /// stage it came from until this one sets one (a stage built on another copies nothing).
    pub env: Rc<HashMap<String, Rc<str>>>,
    /// The last USER (expanded), here or in an earlier stage it builds on.
    pub user: Option<String>,
    /// Line of that USER.
    pub user_line: Option<usize>,
    /// Whether an absolute WORKDIR was set here or in an earlier stage it builds on.
    pub workdir_set: bool,
    /// Whether everything the stage starts from is in this file (it ends in `scratch`).
    pub env_known: bool,
    /// Whether `PIP_NO_CACHE_DIR` is switched on here or in an earlier stage.
    pub pip_no_cache: bool,
    /// The image at the root of its FROM chain, as resolved.
    pub root_image: String,
    /// Whether an ENTRYPOINT was set here or in an earlier stage it builds on.
    pub entrypoint: bool,
}

/// Everything worked out once about a file's stages.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The stages in order.
    pub stages: Vec<Stage>,
    /// For each instruction, its stage (`None` before the first FROM).
    pub stage_of: Vec<Option<usize>>,
    /// Lowercase stage name → stage index.
    pub by_name: HashMap<String, usize>,
    /// For each stage, the stages it uses.
    pub deps: Vec<Vec<usize>>,
    /// For each stage, whether the final stage needs it (itself included).
    pub needed: Vec<bool>,
    /// For each stage, what it ends with.
    pub ends: Vec<StageEnd>,
    /// ARGs declared before the first FROM, with their default values.
    pub global_args: HashMap<String, Rc<str>>,
    /// For each instruction, the variables it uses that are not defined where it is.
    pub undefined: Vec<Vec<String>>,
    /// For each instruction, whether those variables are surely undefined (everything the
    /// stage inherits is known, or the name is a global ARG not declared in the stage).
    pub undefined_sure: Vec<Vec<bool>>,
    /// For each stage, the variables its FROM uses that no global ARG declares.
    pub from_undefined: Vec<Vec<String>>,
    /// For each stage, its `--platform` expanded, with the variables that had values.
    pub platform_expanded: Vec<Option<Platform>>,
    /// For each instruction, the ENV pairs it sets (expanded), for ENV.
    pub env_set: Vec<Vec<(String, String)>>,
    /// For each instruction, whether an ENTRYPOINT is in effect before it.
    pub entrypoint_at: Vec<bool>,
    /// What the reading assumed.
    pub assumptions: Vec<String>,
}

impl Analysis {
    /// Whether an ENTRYPOINT is in effect before instruction `i` (so a CMD gives it arguments).
    pub fn entrypoint_before(&self, i: usize) -> bool {
        self.entrypoint_at.get(i).copied().unwrap_or(false)
    }

    /// The final stage (the one `docker build` builds without `--target`).
    pub fn final_stage(&self) -> usize {
        self.stages.len().saturating_sub(1)
    }

    /// The stage a `--from` value or FROM base names, if it names one.
    pub fn stage_named(&self, name: &str) -> Option<usize> {
        if let Ok(n) = name.parse::<usize>() {
            return (n < self.stages.len()).then_some(n);
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_name.get(&name.to_ascii_lowercase()).copied()
        } else {
            self.by_name.get(name).copied()
        }
    }
}

fn err(line: usize, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        line,
        message: message.into(),
    }
}

/// `FROM [--platform=…] image [AS name]`: the image and the name.
fn from_parts(instruction: &Instruction) -> Result<(&str, Option<&str>), SyntaxError> {
    match instruction.values.as_slice() {
        [base] => Ok((base, None)),
        [base, r#as, name] if r#as.eq_ignore_ascii_case("as") => Ok((base, Some(name))),
        _ => Err(err(
            instruction.line,
            "FROM takes an image and optionally AS NAME: FROM [--platform=…] IMAGE [AS NAME]",
        )),
    }
}

/// BuildKit's rule for stage names: a letter, then letters, digits, `-`, `_` and `.`.
fn valid_stage_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// The instructions BuildKit knows.
pub const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The checks BuildKit makes when it turns a parsed line into an instruction.
fn validate(i: &Instruction) -> Result<(), SyntaxError> {
    let keyword = i.keyword.as_ref();
    if !KEYWORDS.contains(&keyword) {
        let hint = KEYWORDS
            .iter()
            .map(|k| (k, strsim::damerau_levenshtein(k, keyword)))
            .filter(|(_, d)| *d <= 2)
            .min_by_key(|(_, d)| *d)
            .map(|(k, _)| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        return Err(err(
            i.line,
            format!("unknown instruction '{}'{hint}", shorten(i.written(), 30)),
        ));
    }
    let n = i.values.len();
    let problem = match keyword {
        "ENV" | "LABEL" | "EXPOSE" | "VOLUME" | "ARG" | "SHELL" | "HEALTHCHECK" if n == 0 => {
            Some(format!("{keyword} requires at least one argument"))
        }
        "ENV" | "LABEL" if i.values.chunks(3).any(|p| p[0].is_empty()) => {
            Some(format!("{keyword} names can not be blank"))
        }
        "MAINTAINER" | "WORKDIR" | "USER" | "STOPSIGNAL" if n != 1 => {
            Some(format!("{keyword} requires exactly one argument"))
        }
        "ADD" | "COPY" if n < 2 => Some(format!(
            "{keyword} requires at least two arguments: the source(s) and the destination"
        )),
        "RUN" if n == 0 && i.heredocs.is_empty() => {
            Some("RUN requires at least one argument".into())
        }
        "ONBUILD" => match &i.onbuild {
            None => Some("ONBUILD requires at least one argument".into()),
            Some(child) if child.keyword == "ONBUILD" => {
                Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into())
            }
            Some(child) if matches!(child.keyword.as_ref(), "FROM" | "MAINTAINER") => Some(
                format!("{} isn't allowed as an ONBUILD trigger", child.keyword),
            ),
            Some(child) => return validate(child),
        },
        _ => None,
    };
    match problem {
        Some(message) => Err(err(i.line, message)),
        None => Ok(()),
    }
}

/// Works out stages, names, variables and dependencies in one pass over the instructions.
pub fn analyze(parsed: &Parsed) -> Result<Analysis, SyntaxError> {
    let instructions = &parsed.instructions;
    let lexer = Lexer::new(parsed.escape);
    // ENV values keep a variable this file never sets as written: `ENV PATH="/opt/venv/bin:$PATH"`
    // takes PATH from the base image's environment, which a static reading cannot know.
    let mut keep_unset = Lexer::new(parsed.escape);
    keep_unset.skip_unset = true;
    let mut a = Analysis {
        stage_of: Vec::with_capacity(instructions.len()),
        undefined: vec![Vec::new(); instructions.len()],
        undefined_sure: vec![Vec::new(); instructions.len()],
        env_set: vec![Vec::new(); instructions.len()],
        entrypoint_at: vec![false; instructions.len()],
        ..Analysis::default()
    };

    // Pass 1: stage of every instruction, stage names.
    let mut count = 0usize;
    for instruction in instructions {
        validate(instruction)?;
        if instruction.keyword == "FROM" {
            let (_, name) = from_parts(instruction)?;
            if let Some(name) = &name {
                if !valid_stage_name(name) {
                    return Err(err(
                        instruction.line,
                        format!(
                            "invalid stage name '{}': it must start with a letter and hold only letters, digits, -, _ and .",
                            shorten(name, 40)
                        ),
                    ));
                }
                a.by_name.entry(name.to_ascii_lowercase()).or_insert(count);
            }
            count += 1;
        } else if count == 0 && instruction.keyword != "ARG" {
            return Err(err(
                instruction.line,
                format!(
                    "{} comes before any FROM; only ARG may",
                    instruction.keyword
                ),
            ));
        }
        a.stage_of.push(count.checked_sub(1));
    }
    if count == 0 {
        return Err(err(
            instructions.last().map_or(1, |i| i.end_line),
            "the file has no FROM instruction, so there is nothing to build",
        ));
    }

    // Global ARGs, on top of BuildKit's automatic platform ARGs.
    let mut globals: HashMap<String, Rc<str>> = PLATFORM_ARGS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Rc::from(*v)))
        .collect();
    let mut global_declared: HashSet<String> = HashSet::new();
    let mut platform_used = false;

    let mut ends: Vec<StageEnd> = Vec::with_capacity(count);
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(count);
    let mut inherited = 0usize;
    let mut state = StageEnd::default();
    let mut declared: HashSet<String> = HashSet::new();
    let mut stage_vars: HashMap<String, Rc<str>> = HashMap::new();

    let finish = |a: &mut Analysis,
                  ends: &mut Vec<StageEnd>,
                  state: &mut StageEnd,
                  stage_vars: &mut HashMap<String, Rc<str>>| {
        if !a.stages.is_empty() {
            ends.push(std::mem::take(state));
            stage_vars.clear();
        }
    };

    for (i, instruction) in instructions.iter().enumerate() {
        let line = instruction.line;
        let expand = |text: &str, vars: Env<'_>| {
            lexer
                .expand(text, &vars)
                .map_err(|m| err(line, shorten(&m, 160)))
        };
        match (instruction.keyword.as_ref(), a.stage_of[i]) {
            ("ARG", None) => {
                for word in &instruction.values {
                    let (name, default) = match word.split_once('=') {
                        Some((n, d)) => (n, Some(d)),
                        None => (word.as_str(), None),
                    };
                    global_declared.insert(name.to_owned());
                    if let Some(default) = default {
                        let value = expand(default, Env::of(&globals))?.result;
                        globals.insert(name.to_owned(), Rc::from(value));
                    } else if !PLATFORM_ARGS.iter().any(|(k, _)| *k == name) {
                        globals.remove(name);
                    }
                }
            }
            ("FROM", Some(index)) => {
                finish(&mut a, &mut ends, &mut state, &mut stage_vars);
                declared.clear();
                let (base, name) = from_parts(instruction)?;
                let processed = expand(base, Env::of(&globals))?;
                platform_used |= processed.matched.iter().any(|m| {
                    PLATFORM_ARGS.iter().any(|(k, _)| k == m) && !global_declared.contains(m)
                });
                a.from_undefined.push(
                    processed
                        .unmatched
                        .iter()
                        .filter(|n| !global_declared.contains(*n))
                        .cloned()
                        .collect(),
                );
                let platform = instruction.flag("platform").map(str::to_owned);
                a.platform_expanded.push(match &platform {
                    Some(p) => {
                        let e = expand(p, Env::of(&globals))?;
                        platform_used |= !e.matched.is_empty();
                        Some((e.result, e.matched, e.unmatched))
                    }
                    None => None,
                });
                let resolved = processed.result;
                let parent = a
                    .by_name
                    .get(&resolved.to_ascii_lowercase())
                    .copied()
                    .filter(|p| *p < index);
                let mut copies_from = Vec::new();
                let mut stage_deps = Vec::new();
                state = match parent {
                    Some(p) => {
                        copies_from.push(a.stages[p].name.clone().unwrap_or(resolved.clone()));
                        stage_deps.push(p);
                        let parent_end = &ends[p];
                        inherited += parent_end.env.len();
                        if inherited > MAX_INHERITED {
                            return Err(err(
                                line,
                                "too many ENV variables carried from stage to stage",
                            ));
                        }
                        parent_end.clone()
                    }
                    None => StageEnd {
                        env_known: resolved.eq_ignore_ascii_case("scratch"),
                        root_image: resolved.clone(),
                        ..StageEnd::default()
                    },
                };
                deps.push(stage_deps);
                a.stages.push(Stage {
                    index,
                    name: name.map(str::to_owned),
                    base: base.to_owned(),
                    base_resolved: resolved,
                    line,
                    copies_from,
                    parent,
                    platform,
                });
            }
            (_, None) => {}
            (keyword, Some(index)) => {
                // The variables visible here: the stage's ENV, then its ARGs (ENV wins).
                let mut unmatched: Vec<String> = Vec::new();
                let mut note = |names: Vec<String>| {
                    for n in names {
                        if !unmatched.contains(&n) {
                            unmatched.push(n);
                        }
                    }
                };
                match keyword {
                    "ARG" => {
                        for word in &instruction.values {
                            let (name, default) = match word.split_once('=') {
                                Some((n, d)) => (n, Some(d)),
                                None => (word.as_str(), None),
                            };
                            declared.insert(name.to_owned());
                            let value = match default {
                                Some(d) => {
                                    let e = expand(d, Env::layered(&state.env, &stage_vars))?;
                                    note(e.unmatched);
                                    Some(Rc::from(e.result))
                                }
                                None => globals
                                    .get(name)
                                    .filter(|_| {
                                        global_declared.contains(name)
                                            || PLATFORM_ARGS.iter().any(|(k, _)| *k == name)
                                    })
                                    .cloned(),
                            };
                            if PLATFORM_ARGS.iter().any(|(k, _)| *k == name) && default.is_none() {
                                platform_used = true;
                            }
                            if let Some(v) = value {
                                stage_vars.insert(name.to_owned(), v);
                            }
                        }
                    }
                    "ENV" => {
                        let mut set = Vec::new();
                        for pair in instruction.values.chunks(3) {
                            let [key, value, _] = pair else { continue };
                            let k = expand(key, Env::layered(&state.env, &stage_vars))?;
                            let mut v = expand(value, Env::layered(&state.env, &stage_vars))?;
                            if !v.unmatched.is_empty() {
                                let unmatched = std::mem::take(&mut v.unmatched);
                                v = keep_unset
                                    .expand(value, &Env::layered(&state.env, &stage_vars))
                                    .map_err(|m| err(line, shorten(&m, 160)))?;
                                v.unmatched = unmatched;
                            }
                            note(k.unmatched);
                            note(v.unmatched);
                            set.push((k.result, v.result));
                        }
                        for (k, v) in &set {
                            if k == "PIP_NO_CACHE_DIR" {
                                state.pip_no_cache = is_truthy(v);
                            }
                            Rc::make_mut(&mut state.env).insert(k.clone(), Rc::from(v.as_str()));
                            stage_vars.remove(k);
                        }
                        a.env_set[i] = set;
                    }
                    "ADD" | "COPY" | "EXPOSE" | "LABEL" | "STOPSIGNAL" | "USER" | "VOLUME"
                    | "WORKDIR" => {
                        // Only USER and WORKDIR keep the expanded text; for the others a
                        // value with nothing to expand has no variables to note either.
                        let keep = matches!(keyword, "USER" | "WORKDIR");
                        let mut results = Vec::new();
                        for value in &instruction.values {
                            if !keep
                                && lexer
                                    .plain(value)
                                    .map_err(|m| err(line, shorten(&m, 160)))?
                            {
                                continue;
                            }
                            let e = expand(value, Env::layered(&state.env, &stage_vars))?;
                            note(e.unmatched);
                            results.push(e.result);
                        }
                        for flag in ["from", "chown", "chmod"] {
                            if let Some(v) = instruction.flag(flag)
                                && !lexer.plain(v).map_err(|m| err(line, shorten(&m, 160)))?
                            {
                                note(expand(v, Env::layered(&state.env, &stage_vars))?.unmatched);
                            }
                        }
                        match keyword {
                            "USER" => {
                                state.user = results.first().cloned();
                                state.user_line = Some(line);
                            }
                            "WORKDIR" => {
                                let path = results.first().map(String::as_str).unwrap_or("");
                                if path.starts_with('/') || instruction.args_text().contains('$') {
                                    state.workdir_set = true;
                                }
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
                // Where this instruction takes files from besides the context.
                let mut sources: Vec<String> = Vec::new();
                if let Some(from) = instruction.flag("from") {
                    let from = match lexer.plain(from) {
                        Ok(false) => expand(from, Env::layered(&state.env, &stage_vars))
                            .map(|e| e.result)
                            .unwrap_or_else(|_| from.to_owned()),
                        Ok(true) | Err(_) => from.to_owned(),
                    };
                    sources.push(from);
                }
                for mount in instruction.flag_values("mount") {
                    for field in mount.split(',') {
                        if let Some(from) = field.strip_prefix("from=") {
                            sources.push(from.to_owned());
                        }
                    }
                }
                for source in sources {
                    let stage = a.stage_named(&source).filter(|s| *s != index);
                    if let Some(s) = stage
                        && !deps[index].contains(&s)
                    {
                        deps[index].push(s);
                    }
                    if !a.stages[index].copies_from.contains(&source) {
                        a.stages[index].copies_from.push(source);
                    }
                }
                // Undefined variables: sure when everything inherited is known, or when the
                // name is a global ARG the stage never declared (the classic mistake).
                let sure: Vec<bool> = unmatched
                    .iter()
                    .map(|n| state.env_known || global_declared.contains(n))
                    .collect();
                let keep: Vec<usize> = (0..unmatched.len())
                    .filter(|&k| !declared.contains(&unmatched[k]))
                    .collect();
                a.undefined[i] = keep.iter().map(|&k| unmatched[k].clone()).collect();
                a.undefined_sure[i] = keep.iter().map(|&k| sure[k]).collect();
                a.entrypoint_at[i] = state.entrypoint;
                if keyword == "ENTRYPOINT" {
                    state.entrypoint = true;
                }
            }
        }
    }
    finish(&mut a, &mut ends, &mut state, &mut stage_vars);

    // What the final stage needs, following every dependency once.
    let mut needed = vec![false; a.stages.len()];
    let mut stack = vec![a.stages.len() - 1];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut needed[s], true) {
            continue;
        }
        stack.extend(deps[s].iter().copied().filter(|d| !needed[*d]));
    }
    if platform_used {
        a.assumptions.push(format!(
            "The automatic platform ARGs (TARGETPLATFORM, TARGETARCH, BUILDPLATFORM, …) are shown for a build on {}/{}; on Apple silicon or AWS Graviton they would be linux/arm64, and docker build --platform chooses others.",
            ASSUMED_PLATFORM.0, ASSUMED_PLATFORM.1
        ));
    }
    a.global_args = globals
        .into_iter()
        .filter(|(k, _)| global_declared.contains(k))
        .collect();
    a.needed = needed;
    a.deps = deps;
    a.ends = ends;
    Ok(a)
}

/// pip's own reading of a true setting: `1`, `true`, `yes`, `on`.
pub fn is_truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::dockerfile::parse;

    fn analyze_str(source: &str) -> Analysis {
        analyze(&parse(source).expect("parses")).expect("analyzes")
    }

    #[test]
    fn stages_resolve_args_and_platform_args() {
        let a = analyze_str(
            "ARG BASE='python:3.12-slim'\nARG CUDA=\"12.4 x\"\nFROM ${BASE} AS build\nFROM base-${TARGETARCH} AS run\nCOPY --from=build /a /b\n",
        );
        assert_eq!(a.stages[0].base_resolved, "python:3.12-slim");
        assert_eq!(a.global_args.get("CUDA").map(|v| &**v), Some("12.4 x"));
        assert_eq!(a.stages[1].base_resolved, "base-amd64");
        assert_eq!(a.deps[1], [0]);
        assert_eq!(a.needed, [true, true]);
        assert!(!a.assumptions.is_empty());
    }

    #[test]
    fn env_keeps_variables_from_the_base_image_as_written() {
        let a = analyze_str(
            "FROM python:3.12-slim\nENV V=/opt/venv\nENV PATH=\"$V/bin:$PATH\" HOME=${HOME:-/root}\n",
        );
        assert_eq!(
            a.env_set[2],
            [
                ("PATH".to_owned(), "/opt/venv/bin:$PATH".to_owned()),
                ("HOME".to_owned(), "${HOME:-/root}".to_owned())
            ]
        );
    }

    #[test]
    fn final_stage_inherits_user_from_its_parent() {
        let a = analyze_str("FROM python:3.12 AS base\nUSER app\nFROM base\nRUN echo\n");
        assert_eq!(a.ends[1].user.as_deref(), Some("app"));
        assert_eq!(a.stages[1].parent, Some(0));
    }

    #[test]
    fn builder_stages_not_copied_from_are_not_needed() {
        let a = analyze_str("FROM a AS unused\nFROM b AS used\nFROM c\nCOPY --from=used /x /y\n");
        assert_eq!(a.needed, [false, true, true]);
    }

    #[test]
    fn doubling_args_hit_the_cap_with_the_line() {
        let mut source = String::from("ARG A0=xxxxxxxxxxxxxxxx\n");
        for i in 1..40 {
            source.push_str(&format!("ARG A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
        }
        source.push_str("FROM scratch\n");
        let e = analyze(&parse(&source).expect("parses")).expect_err("capped");
        assert!(e.message.contains("KiB"), "{}", e.message);
        assert!(e.line > 10 && e.line < 20, "{}", e.line);
    }
}
