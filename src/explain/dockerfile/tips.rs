//! Tips: one function per rule, chosen through [`rule`] by the [`TipId`] generated from
//! `data/dockerfile-tips.yaml` (which holds each tip's title, why, fix and terms). Rules read the
//! parse and the stage analysis computed once; the few that look ahead or back do it in one pass.
//! Silencing: `# dterms-ignore=ID[,ID]` (or BuildKit's `# check=skip=ID`) on the lines before an
//! instruction, `# check=skip=` as a directive, and `--ignore ID`.

use std::collections::HashSet;

use super::Options;
use super::parse::{Args, Instruction, Parsed};
use super::script::{self, Command, Word};
use super::shorten;
use super::stages::{Analysis, KEYWORDS, PLATFORM_ARGS, is_truthy};
use crate::explain::reference::parse_normalized;

include!(concat!(env!("OUT_DIR"), "/dockerfile_tips.rs"));

/// A tip's description, from data/dockerfile-tips.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipInfo {
    /// The id as a type.
    pub id: TipId,
    /// The id as written: BuildKit's check name, or ours.
    pub name: &'static str,
    /// Which linter rule it corresponds to.
    pub linter: &'static str,
    /// One line.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// What to write instead.
    pub fix: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// A Dockerfile on which it fires.
    pub fires: &'static str,
    /// A Dockerfile on which it stays silent.
    pub silent: &'static str,
    /// Off unless `# check=experimental=` names it (BuildKit's experimental checks).
    pub off: bool,
    /// Needs what only a registry knows (the pulled image's config): listed, never run.
    pub registry: bool,
}

/// The description of the tip named `name` (exactly as in the data), if there is one.
pub fn info(name: &str) -> Option<&'static TipInfo> {
    TIPS.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// A suggestion tied to a line.
// Serialized in the JSON's key order (alphabetical, as the documented shape has always had).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tip {
    /// What to write instead.
    pub fix: &'static str,
    /// The tip's id (BuildKit's check name, or ours).
    pub id: &'static str,
    /// The line it is about.
    pub line: usize,
    /// Which linter rule it corresponds to.
    pub linter: &'static str,
    /// What was found, in plain words.
    pub message: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
    /// Why it matters.
    pub why: &'static str,
}

/// What a rule found: the line and, when it helps, a message more precise than the title.
type Found = Vec<(usize, Option<String>)>;

/// Everything the rules read, computed once.
struct Ctx<'a> {
    parsed: &'a Parsed,
    a: &'a Analysis,
    options: &'a Options,
    /// For each RUN, its shell commands (empty for other instructions).
    scripts: Vec<Vec<Command<'a>>>,
    /// For each stage, whether it is the final stage or one the final stage is built FROM.
    in_final_chain: Vec<bool>,
    /// The positions of the RUN instructions, found once for the many rules about RUN.
    runs: Vec<usize>,
    /// For each of BuildKit's keywords (in the order of `stages::KEYWORDS`), the positions of
    /// its instructions, so a rule about one keyword reads only those.
    by_keyword: Vec<Vec<usize>>,
}

impl<'a> Ctx<'a> {
    fn instructions(&self) -> impl Iterator<Item = (usize, &Instruction)> {
        self.parsed.instructions.iter().enumerate()
    }

    fn runs(&self) -> impl Iterator<Item = (usize, &Instruction, &[Command<'a>])> {
        self.runs
            .iter()
            .map(|&i| (i, &self.parsed.instructions[i], self.scripts[i].as_slice()))
    }

    /// The instructions with `keyword` (one of BuildKit's), in order.
    fn of(&self, keyword: &str) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        let list = KEYWORDS
            .iter()
            .position(|k| *k == keyword)
            .map_or(&[][..], |n| self.by_keyword[n].as_slice());
        list.iter().map(|&k| (k, &self.parsed.instructions[k]))
    }

    fn stage(&self, i: usize) -> Option<usize> {
        self.a.stage_of[i]
    }

    fn final_chain(&self, i: usize) -> bool {
        self.stage(i).is_some_and(|s| self.in_final_chain[s])
    }
}

/// The rule for a tip. Exhaustive: a tip in the data without a rule does not build.
fn rule(id: TipId) -> fn(&Ctx) -> Found {
    use TipId::*;
    match id {
        StageNameCasing => stage_name_casing,
        FromAsCasing => from_as_casing,
        NoEmptyContinuation => |c| {
            c.parsed
                .empty_continuations
                .iter()
                .map(|l| (*l, None))
                .collect()
        },
        ConsistentInstructionCasing => consistent_casing,
        DuplicateStageName => duplicate_stage_name,
        ReservedStageName => reserved_stage_name,
        JSONArgsRecommended => json_args_recommended,
        MaintainerDeprecated => |c| c.of("MAINTAINER").map(|(_, i)| (i.line, None)).collect(),
        UndefinedArgInFrom => undefined_arg_in_from,
        WorkdirRelativePath => workdir_relative,
        UndefinedVar => undefined_var,
        MultipleInstructionsDisallowed => multiple_instructions,
        LegacyKeyValueFormat => |c| {
            c.instructions()
                .filter(|(_, i)| {
                    matches!(i.keyword.as_ref(), "ENV" | "LABEL")
                        && i.values.len() == 3
                        && i.values[2].is_empty()
                })
                .map(|(_, i)| {
                    (
                        i.line,
                        Some(format!(
                            "{} in the legacy form: write {}={} instead",
                            i.keyword,
                            shorten(&i.values[0], 30),
                            shorten(&i.values[1], 30)
                        )),
                    )
                })
                .collect()
        },
        InvalidDefaultArgInFrom => invalid_default_arg_in_from,
        FromPlatformFlagConstDisallowed => platform_const,
        RedundantTargetPlatform => redundant_target_platform,
        CopyIgnoredFile => copy_ignored_file,
        SecretsUsedInArgOrEnv => secrets_in_arg_or_env,
        InvalidDefinitionDescription => invalid_definition_description,
        ExposeProtoCasing => |c| {
            expose_ports(c, |p| {
                p.split_once('/')
                    .is_some_and(|(_, proto)| proto != proto.to_ascii_lowercase())
            })
        },
        ExposeInvalidFormat => |c| expose_ports(c, |p| p.contains(':')),
        // Needs the platform in the pulled image's config, which only the registry has: the
        // tip is listed (`registry: true`) and `run` never calls this.
        InvalidBaseImagePlatform => |_| Vec::new(),
        AptPinVersions => apt_pin_versions,
        AptNoInstallRecommends => apt_no_install_recommends,
        AptListsNotRemoved => apt_lists_not_removed,
        AptNotAptGet => |c| {
            c.runs()
                .filter(|(_, _, cmds)| {
                    cmds.iter()
                        .any(|cmd| cmd.program() == "apt" && cmd.subcommand().is_some())
                })
                .map(|(_, i, _)| (i.line, None))
                .collect()
        },
        AptNoYes => apt_no_yes,
        PipeWithoutPipefail => pipe_without_pipefail,
        CopyRelativeWithoutWorkdir => copy_relative_without_workdir,
        ConsecutiveRun => consecutive_run,
        PipUnpinned => pip_unpinned,
        PipCacheKept => pip_cache_kept,
        SudoInRun => |c| {
            c.runs()
                .filter(|(_, _, cmds)| cmds.iter().any(|cmd| cmd.sudo))
                .map(|(_, i, _)| (i.line, None))
                .collect()
        },
        LastUserRoot => last_user_root,
        BaseUntagged => |c| base_tag(c, false),
        BaseLatest => |c| base_tag(c, true),
        AddInsteadOfCopy => add_instead_of_copy,
        CdInsteadOfWorkdir => |c| {
            c.runs()
                .filter(|(_, _, cmds)| matches!(cmds, [only] if only.program() == "cd"))
                .map(|(_, i, _)| (i.line, None))
                .collect()
        },
        WgetWithoutProgress => wget_without_progress,
        WgetAndCurl => wget_and_curl,
        ApkNoCache => apk_no_cache,
        DnfYumNoClean => dnf_yum_no_clean,
        CopyFromOwnStage => copy_from_own_stage,
        CopyFromUnknownStage => copy_from_unknown_stage,
        CopyManyToFile => copy_many_to_file,
        ExposeInvalidPort => |c| {
            expose_ports(c, |p| {
                let port = p.split('/').next().unwrap_or(p);
                !port.contains('$')
                    && port
                        .split('-')
                        .any(|n| n.parse::<u64>().is_ok_and(|n| n > 65535))
            })
        },
        EnvUsesOwnPair => env_uses_own_pair,
        AptUpdateAlone => apt_update_alone,
        CopyAllBeforeInstall => copy_all_before_install,
        CudaDevelFinal => cuda_devel_final,
        ExportInRun => |c| {
            c.runs()
                .filter(|(_, _, cmds)| {
                    !cmds.is_empty()
                        && cmds
                            .iter()
                            .all(|cmd| cmd.program() == "export" || cmd.words.is_empty())
                })
                .map(|(_, i, _)| (i.line, None))
                .collect()
        },
        UnquotedVersionSpec => unquoted_version_spec,
        CondaNoClean => conda_no_clean,
        NoUserInFinal => no_user_in_final,
    }
}

/// Runs every rule that is switched on and not silenced, and returns the tips in line order.
pub fn run<'a>(
    parsed: &'a Parsed,
    a: &'a Analysis,
    options: &'a Options,
    scripts: Vec<Vec<Command<'a>>>,
) -> Vec<Tip> {
    let mut in_final_chain = vec![false; a.stages.len()];
    let mut s = Some(a.final_stage());
    while let Some(stage) = s {
        if std::mem::replace(&mut in_final_chain[stage], true) {
            break;
        }
        s = a.stages[stage].parent;
    }
    let mut by_keyword = vec![Vec::new(); KEYWORDS.len()];
    for (k, i) in parsed.instructions.iter().enumerate() {
        if let Some(n) = KEYWORDS.iter().position(|w| *w == i.keyword) {
            by_keyword[n].push(k);
        }
    }
    let runs = KEYWORDS
        .iter()
        .position(|w| *w == "RUN")
        .map(|n| by_keyword[n].clone())
        .unwrap_or_default();
    let ctx = Ctx {
        parsed,
        a,
        options,
        scripts,
        in_final_chain,
        runs,
        by_keyword,
    };
    // `# check=skip=…;experimental=…` as a directive, and --ignore.
    let (mut skip, experimental) = check_directive(parsed);
    skip.extend(options.ignore.iter().map(|s| s.to_ascii_lowercase()));
    let skip_all = skip.contains("all");
    // Silencing comments, by the line of the instruction they stand before.
    let silenced: std::collections::HashMap<usize, HashSet<String>> = parsed
        .instructions
        .iter()
        .filter_map(|i| {
            let ids: HashSet<String> = i.comments.iter().flat_map(|c| comment_ids(c)).collect();
            (!ids.is_empty()).then_some((i.line, ids))
        })
        .collect();
    let mut tips = Vec::new();
    for info in TIPS {
        let name = info.name.to_ascii_lowercase();
        if info.registry
            || (info.off && !experimental.contains(&name) && !experimental.contains("all"))
            || skip.contains(&name)
            || skip_all
        {
            continue;
        }
        for (line, message) in rule(info.id)(&ctx) {
            if silenced
                .get(&line)
                .is_some_and(|ids| ids.contains(&name) || ids.contains("all"))
            {
                continue;
            }
            tips.push(Tip {
                id: info.name,
                line,
                message: message.unwrap_or_else(|| info.title.to_owned()),
                why: info.why,
                fix: info.fix,
                terms: info.terms.to_vec(),
                linter: info.linter,
            });
        }
    }
    tips.sort_by_key(|t| t.line);
    tips
}

/// For each instruction, the shell commands the rules read: those of a RUN (see
/// [`run_script`]), none for other instructions. The readings share them.
pub fn scripts(parsed: &Parsed) -> Vec<Vec<Command<'_>>> {
    parsed
        .instructions
        .iter()
        .map(|i| {
            if i.keyword == "RUN" {
                run_script(i)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// `skip` and `experimental` rule names of a `# check=` directive, lowercased.
fn check_directive(parsed: &Parsed) -> (HashSet<String>, HashSet<String>) {
    let mut skip = HashSet::new();
    let mut experimental = HashSet::new();
    for d in parsed.directives.iter().filter(|d| d.name == "check") {
        let value = d.value.split(' ').next().unwrap_or("");
        for part in value.split(';') {
            if let Some((k, v)) = part.split_once('=') {
                let set = match k.trim() {
                    "skip" => &mut skip,
                    "experimental" => &mut experimental,
                    _ => continue,
                };
                set.extend(v.split(',').map(|r| r.trim().to_ascii_lowercase()));
            }
        }
    }
    (skip, experimental)
}

/// Ids silenced by one comment: `dterms-ignore=A,B` or `check=skip=A,B`.
fn comment_ids(comment: &str) -> Vec<String> {
    let c = comment.trim();
    let list = if let Some(rest) = c.strip_prefix("dterms-ignore") {
        rest.trim_start().strip_prefix('=').unwrap_or("")
    } else if let Some(rest) = c.strip_prefix("check") {
        let rest = rest
            .trim_start()
            .strip_prefix('=')
            .unwrap_or("")
            .trim_start();
        rest.strip_prefix("skip")
            .map_or("", |r| r.trim_start().strip_prefix('=').unwrap_or(""))
    } else {
        ""
    };
    list.split([',', ';', ' '])
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty() && !s.contains('='))
        .collect()
}

/// The shell commands of a RUN: the shell form, `sh -c` in exec form, and heredoc bodies that
/// the shell runs (`RUN <<EOF` or `RUN bash <<EOF`, not `RUN python <<EOF`).
fn run_script(instruction: &Instruction) -> Vec<Command<'_>> {
    match &instruction.args {
        Args::Exec(words) => match words.as_slice() {
            [shell, flag, script, ..]
                if is_shell(shell) && flag.starts_with('-') && flag.contains('c') =>
            {
                script::commands(script)
            }
            _ => vec![Command {
                words: words.iter().map(|w| Word::from(w.as_str())).collect(),
                ..Command::default()
            }],
        },
        Args::Shell => {
            let text = instruction.rest();
            let mut commands = script::commands(text);
            let body_is_shell = commands.is_empty()
                || commands.iter().any(|c| {
                    is_shell(c.program()) && c.redirects.iter().any(|(op, _)| op.starts_with("<<"))
                });
            if body_is_shell {
                for doc in &instruction.heredocs {
                    commands.extend(script::commands(&doc.body));
                }
            }
            commands
        }
    }
}

fn is_shell(program: &str) -> bool {
    matches!(
        script::base_name(program),
        "sh" | "bash" | "dash" | "ash" | "zsh"
    )
}

fn from_name(i: &Instruction) -> Option<&str> {
    (i.keyword == "FROM" && i.values.len() == 3).then(|| i.values[2].as_str())
}

fn stage_name_casing(c: &Ctx) -> Found {
    c.of("FROM")
        .filter_map(|(_, i)| from_name(i).map(|n| (i, n)))
        .filter(|(_, n)| n.bytes().any(|b| b.is_ascii_uppercase()))
        .map(|(i, n)| {
            (
                i.line,
                Some(format!(
                    "Stage name '{}' should be lowercase",
                    shorten(n, 40)
                )),
            )
        })
        .collect()
}

fn from_as_casing(c: &Ctx) -> Found {
    // `x == x.to_ascii_lowercase()` is "no ASCII uppercase letter in x", asked without a copy.
    let has = |text: &str, upper: bool| {
        text.bytes().any(|b| {
            if upper {
                b.is_ascii_uppercase()
            } else {
                b.is_ascii_lowercase()
            }
        })
    };
    c.of("FROM")
        .filter(|(_, i)| i.values.len() == 3)
        .filter(|(_, i)| {
            let from = i.written();
            let r#as = &i.values[1];
            if !has(from, true) {
                has(r#as, true)
            } else if !has(from, false) {
                has(r#as, false)
            } else {
                false
            }
        })
        .map(|(_, i)| {
            (
                i.line,
                Some(format!(
                    "'{}' and '{}' have different casing",
                    i.values[1],
                    i.written()
                )),
            )
        })
        .collect()
}

/// Whether `word` is unchanged by `convert` (a case mapping); for ASCII, whether it has no byte
/// that `changes`, without building the converted copy.
fn same_when(word: &str, convert: fn(&str) -> String, changes: fn(&u8) -> bool) -> bool {
    if word.is_ascii() {
        !word.as_bytes().iter().any(changes)
    } else {
        word == convert(word)
    }
}

fn consistent_casing(c: &Ctx) -> Found {
    // Each keyword's casing, worked out once: (all lowercase, all uppercase).
    let cases: Vec<(&Instruction, bool, bool)> = c
        .instructions()
        .filter(|(k, _)| c.stage(*k).is_some())
        .map(|(_, i)| {
            let w = i.written();
            (
                i,
                same_when(w, str::to_lowercase, |b| b.is_ascii_uppercase()),
                same_when(w, str::to_uppercase, |b| b.is_ascii_lowercase()),
            )
        })
        .collect();
    let (mut lower, mut upper) = (0usize, 0usize);
    for (_, is_lower, is_upper) in &cases {
        if *is_lower {
            lower += 1;
        } else if *is_upper {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    cases
        .iter()
        .filter(
            |(_, is_lower, is_upper)| {
                if majority_lower { !is_lower } else { !is_upper }
            },
        )
        .map(|(i, _, _)| {
            let case = if majority_lower {
                "lowercase"
            } else {
                "uppercase"
            };
            (
                i.line,
                Some(format!(
                    "'{}' should be in {case} like most instructions",
                    shorten(i.written(), 20)
                )),
            )
        })
        .collect()
}

fn duplicate_stage_name(c: &Ctx) -> Found {
    let mut seen: HashSet<std::borrow::Cow<str>> = HashSet::new();
    c.instructions()
        .filter_map(|(_, i)| from_name(i).map(|n| (i, lowercase(n))))
        .filter(|(_, n)| !seen.insert(n.clone()))
        .map(|(i, n)| {
            (
                i.line,
                Some(format!("Stage name '{}' is used twice", shorten(&n, 40))),
            )
        })
        .collect()
}

/// `text` in ASCII lowercase, borrowed when it already is.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        text.to_ascii_lowercase().into()
    } else {
        text.into()
    }
}

fn reserved_stage_name(c: &Ctx) -> Found {
    c.instructions()
        .filter_map(|(_, i)| from_name(i).map(|n| (i, lowercase(n))))
        .filter(|(_, n)| n == "scratch" || n == "context")
        .map(|(i, n)| (i.line, Some(format!("Stage name '{n}' is reserved"))))
        .collect()
}

/// For every instruction, whether a SHELL is in effect (in its stage or what it builds on).
fn shell_set<'a>(c: &'a Ctx<'a>) -> Vec<Option<&'a Instruction>> {
    let mut per_stage: Vec<Option<&Instruction>> = vec![None; c.a.stages.len()];
    let mut out = Vec::with_capacity(c.parsed.instructions.len());
    for (k, i) in c.instructions() {
        if let Some(s) = c.stage(k) {
            if i.keyword == "FROM" {
                per_stage[s] = c.a.stages[s].parent.and_then(|p| per_stage[p]);
            }
            out.push(per_stage[s]);
            if i.keyword == "SHELL" {
                per_stage[s] = Some(i);
            }
        } else {
            out.push(None);
        }
    }
    out
}

fn json_args_recommended(c: &Ctx) -> Found {
    let shells = shell_set(c);
    c.instructions()
        .filter(|(k, i)| {
            matches!(i.keyword.as_ref(), "CMD" | "ENTRYPOINT")
                && !i.is_exec()
                && !i.values.is_empty()
                && shells[*k].is_none()
        })
        .map(|(_, i)| {
            (i.line, Some(format!("{} in shell form: /bin/sh becomes PID 1 and does not pass docker stop's signal on", i.keyword)))
        })
        .collect()
}

fn undefined_arg_in_from(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (s, stage) in c.a.stages.iter().enumerate() {
        let mut names = c.a.from_undefined[s].clone();
        if let Some((_, _, unmatched)) = &c.a.platform_expanded[s] {
            names.extend(
                unmatched
                    .iter()
                    .filter(|n| !c.a.global_args.contains_key(*n))
                    .cloned(),
            );
        }
        for name in names {
            found.push((
                stage.line,
                Some(format!(
                    "FROM uses ${}, which no ARG before the first FROM declares",
                    shorten(&name, 40)
                )),
            ));
        }
    }
    found
}

fn workdir_relative(c: &Ctx) -> Found {
    let mut set: Vec<bool> = vec![false; c.a.stages.len()];
    let mut found = Vec::new();
    for (k, i) in c.instructions() {
        let Some(s) = c.stage(k) else { continue };
        match i.keyword.as_ref() {
            "FROM" => set[s] = c.a.stages[s].parent.is_some_and(|p| set[p]),
            "WORKDIR" => {
                let path = unquote(i.values.first().map(String::as_str).unwrap_or(""));
                if !set[s]
                    && !path.starts_with('/')
                    && !path.contains('$')
                    && !is_windows_path(path)
                {
                    found.push((
                        i.line,
                        Some(format!(
                            "Relative WORKDIR '{}' depends on the base image's working directory",
                            shorten(path, 40)
                        )),
                    ));
                }
                set[s] = true;
            }
            _ => {}
        }
    }
    found
}

fn unquote(text: &str) -> &str {
    text.trim_matches(|q| q == '"' || q == '\'')
}

fn is_windows_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn undefined_var(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (k, i) in c.instructions() {
        for (name, sure) in c.a.undefined[k].iter().zip(&c.a.undefined_sure[k]) {
            if *sure && !name.starts_with("BUILDKIT_SBOM") {
                let hint = if c.a.global_args.contains_key(name) {
                    format!(
                        ": it is a global ARG, so write `ARG {name}` inside this stage to use it"
                    )
                } else {
                    String::new()
                };
                found.push((
                    i.line,
                    Some(format!("${} has no value here{hint}", shorten(name, 40))),
                ));
            }
        }
    }
    found
}

fn multiple_instructions(c: &Ctx) -> Found {
    let mut last: std::collections::HashMap<(usize, &str), usize> =
        std::collections::HashMap::new();
    let mut found = Vec::new();
    for (k, i) in c.instructions() {
        let Some(s) = c.stage(k) else { continue };
        if matches!(i.keyword.as_ref(), "CMD" | "ENTRYPOINT" | "HEALTHCHECK")
            && let Some(previous) = last.insert((s, i.keyword.as_ref()), i.line)
        {
            found.push((
                previous,
                Some(format!(
                    "This {} is replaced by the one on line {} in the same stage",
                    i.keyword, i.line
                )),
            ));
        }
    }
    found
}

fn invalid_default_arg_in_from(c: &Ctx) -> Found {
    c.a.stages
        .iter()
        .filter(|s| s.base.contains('$') && s.parent.is_none())
        .filter(|s| {
            let r = &s.base_resolved;
            r.is_empty() || (!r.eq_ignore_ascii_case("scratch") && parse_normalized(r).is_err())
        })
        .map(|s| {
            (
                s.line,
                Some(format!(
                    "With the ARG defaults, FROM {} becomes '{}', which is not a valid image name",
                    shorten(&s.base, 40),
                    shorten(&s.base_resolved, 40)
                )),
            )
        })
        .collect()
}

fn platform_const(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (s, stage) in c.a.stages.iter().enumerate() {
        let Some((result, matched, unmatched)) = &c.a.platform_expanded[s] else {
            continue;
        };
        if !matched.is_empty() || !unmatched.is_empty() {
            continue;
        }
        let mut parts = result.split('/');
        let (Some(os), Some(arch)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = stage.name.as_deref().unwrap_or("");
        if os.is_empty() || arch.is_empty() || name.contains(os) || name.contains(arch) {
            continue;
        }
        found.push((
            stage.line,
            Some(format!(
                "FROM --platform={} fixes the platform",
                shorten(result, 40)
            )),
        ));
    }
    found
}

fn redundant_target_platform(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (s, stage) in c.a.stages.iter().enumerate() {
        let Some((result, matched, unmatched)) = &c.a.platform_expanded[s] else {
            continue;
        };
        let target = PLATFORM_ARGS[0].1;
        if matched.len() == 1
            && matched[0] == "TARGETPLATFORM"
            && unmatched.is_empty()
            && result == target
        {
            found.push((stage.line, None));
        }
    }
    found
}

fn copy_ignored_file(c: &Ctx) -> Found {
    let Some(patterns) = &c.options.dockerignore else {
        return Vec::new();
    };
    if patterns.iter().any(|p| p.trim_start().starts_with('!')) {
        return Vec::new();
    }
    let patterns: Vec<String> = patterns
        .iter()
        .map(|p| clean_path(p.trim()))
        .filter(|p| !p.is_empty() && !p.starts_with('#'))
        .collect();
    let mut found = Vec::new();
    for (_, i) in c.instructions() {
        if !matches!(i.keyword.as_ref(), "COPY" | "ADD")
            || i.flag("from").is_some()
            || i.values.len() < 2
        {
            continue;
        }
        for source in &i.values[..i.values.len() - 1] {
            if source.starts_with("<<") || source.contains("://") || source.contains('$') {
                continue;
            }
            let path = clean_path(source);
            if path == "." || path.is_empty() {
                continue;
            }
            if patterns.iter().any(|p| ignored(p, &path)) {
                found.push((
                    i.line,
                    Some(format!(
                        "{} names {}, which .dockerignore excludes",
                        i.keyword,
                        shorten(source, 40)
                    )),
                ));
            }
        }
    }
    found
}

fn clean_path(p: &str) -> String {
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Whether the .dockerignore pattern matches the path or one of its parents.
fn ignored(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    (1..=segs.len()).any(|n| match_segments(&pat, &segs[..n]))
}

fn match_segments(pat: &[&str], segs: &[&str]) -> bool {
    match pat.split_first() {
        None => segs.is_empty(),
        Some((&"**", rest)) => (0..=segs.len()).any(|k| match_segments(rest, &segs[k..])),
        Some((p, rest)) => segs
            .split_first()
            .is_some_and(|(s, more)| glob(p, s) && match_segments(rest, more)),
    }
}

/// `*` and `?` within one path segment.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// BuildKit's secret-name rule: a secret word as a whole `_`-separated part of the name, unless
/// an allowing word is also a part. We allow a few more words than BuildKit (paths, switches,
/// limits, GPG key fingerprints) so that names such as `HF_TOKEN_PATH`, `SCCACHE_S3_NO_CREDENTIALS`
/// and `GPG_KEY` stay silent.
pub fn looks_secret(name: &str) -> bool {
    const DENY: [&str; 10] = [
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    ];
    const ALLOW: [&str; 22] = [
        "public",
        "file",
        "files",
        "version",
        "path",
        "dir",
        "url",
        "no",
        "disable",
        "disabled",
        "enable",
        "enabled",
        "max",
        "min",
        "length",
        "len",
        "size",
        "limit",
        "gpg",
        "pgp",
        "fingerprint",
        "type",
    ];
    if name.eq_ignore_ascii_case("GOOGLE_APPLICATION_CREDENTIALS") {
        return false;
    }
    // Compared byte-wise without allocating, lengths first: compose files and command lines ask
    // this for every variable.
    let is = |words: &[&str]| {
        name.as_bytes().split(|&b| b == b'_').any(|p| {
            words
                .iter()
                .any(|w| w.len() == p.len() && w.as_bytes().eq_ignore_ascii_case(p))
        })
    };
    is(&DENY) && !is(&ALLOW)
}

fn secrets_in_arg_or_env(c: &Ctx) -> Found {
    let mut found = Vec::new();
    let mut check = |i: &Instruction, name: &str, value: Option<&str>| {
        let switch = value.is_some_and(|v| {
            ["true", "false", "0", "1", "yes", "no", "on", "off"]
                .iter()
                .any(|s| v.eq_ignore_ascii_case(s))
        });
        if looks_secret(name) && !switch {
            found.push((i.line, Some(format!("{} {} looks like a secret: its value is stored in the image for anyone who pulls it to read", i.keyword, shorten(name, 40)))));
        }
    };
    for (k, i) in c.instructions() {
        match i.keyword.as_ref() {
            "ARG" => {
                for w in &i.values {
                    match w.split_once('=') {
                        Some((n, v)) => check(i, n, Some(v)),
                        None => check(i, w, None),
                    }
                }
            }
            "ENV" => {
                for (n, v) in &c.a.env_set[k] {
                    check(i, n, Some(v));
                }
            }
            _ => {}
        }
    }
    found
}

fn invalid_definition_description(c: &Ctx) -> Found {
    c.instructions()
        .filter_map(|(_, i)| {
            let keys: Vec<&str> = match i.keyword.as_ref() {
                "ARG" => i
                    .values
                    .iter()
                    .map(|w| w.split('=').next().unwrap_or(w))
                    .collect(),
                "FROM" => from_name(i).into_iter().collect(),
                _ => return None,
            };
            let last = i.comments.last()?;
            let first = last.split(' ').next().unwrap_or("");
            (!keys.is_empty() && !keys.contains(&first)).then_some((i.line, None))
        })
        .collect()
}

fn expose_ports(c: &Ctx, bad: fn(&str) -> bool) -> Found {
    c.of("EXPOSE")
        .flat_map(|(_, i)| {
            i.values
                .iter()
                .filter(|p| bad(p))
                .map(|p| (i.line, Some(format!("EXPOSE {}", shorten(p, 40)))))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The operands of an install command: arguments that are not options, skipping the values of
/// the options in `with_value` (`-t stable`).
fn operands<'a>(args: &'a [Word<'_>], with_value: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            skip = !a.contains('=') && with_value.contains(&&**a);
            continue;
        }
        out.push(&**a);
    }
    out
}

fn apt_get_installs<'c, 'a>(cmds: &'c [Command<'a>]) -> impl Iterator<Item = &'c Command<'a>> {
    cmds.iter()
        .filter(|c| c.program() == "apt-get" && c.subcommand() == Some("install"))
}

fn apt_pin_versions(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (_, i, cmds) in c.runs() {
        let unpinned: Vec<&str> = apt_get_installs(cmds)
            .flat_map(|cmd| operands(cmd.args(), &["-t", "--target-release", "-o", "-c"]))
            .filter(|p| *p != "install")
            .filter(|p| {
                !p.contains('=') && !p.contains('/') && !p.ends_with(".deb") && !p.contains('$')
            })
            .collect();
        if let Some(detail) = without_versions("apt-get", &unpinned) {
            found.push((i.line, Some(detail)));
        }
    }
    found
}

/// The detail of a pinning tip: which packages `tool install` names without a version.
fn without_versions(tool: &str, unpinned: &[&str]) -> Option<String> {
    (!unpinned.is_empty()).then(|| {
        format!(
            "{tool} install without versions for {}",
            shorten(&unpinned.join(", "), 60)
        )
    })
}

fn apt_no_install_recommends(c: &Ctx) -> Found {
    let found: Found = c
        .runs()
        .filter(|(k, _, cmds)| {
            c.final_chain(*k)
                && apt_get_installs(cmds).any(|cmd| {
                    !cmd.has("--no-install-recommends")
                        && !cmd.args().iter().any(|a| a.contains("Install-Recommends"))
                })
        })
        .map(|(_, i, _)| (i.line, None))
        .collect();
    // Configured once for the file: only asked when there is something to report.
    let configured = || {
        c.runs()
            .any(|(_, i, _)| i.text.contains("Install-Recommends"))
    };
    if !found.is_empty() && configured() {
        return Vec::new();
    }
    found
}

fn has_mount(i: &Instruction, targets: &[&str]) -> bool {
    i.flag_values("mount").any(|m| {
        let fields: Vec<&str> = m.split(',').collect();
        let kind = fields
            .iter()
            .find_map(|f| f.strip_prefix("type="))
            .unwrap_or("bind");
        (kind == "cache" || kind == "tmpfs")
            && fields.iter().any(|f| {
                ["target=", "dst=", "destination="]
                    .iter()
                    .find_map(|k| f.strip_prefix(k))
                    .is_some_and(|t| targets.iter().any(|x| t.trim_end_matches('/').ends_with(x)))
            })
    })
}

fn removes(cmds: &[Command], prefix: &str) -> bool {
    cmds.iter()
        .any(|c| c.program() == "rm" && c.args().iter().any(|a| a.starts_with(prefix)))
}

fn apt_update(cmds: &[Command]) -> bool {
    cmds.iter().any(|c| {
        matches!(c.program(), "apt-get" | "apt" | "aptitude") && c.subcommand() == Some("update")
    })
}

fn apt_lists_not_removed(c: &Ctx) -> Found {
    let found: Found = c
        .runs()
        .filter(|(k, i, cmds)| {
            c.final_chain(*k)
                && apt_update(cmds)
                && !removes(cmds, "/var/lib/apt/lists")
                && !has_mount(i, &["/var/lib/apt/lists", "/var/lib/apt"])
        })
        .map(|(_, i, _)| (i.line, None))
        .collect();
    // Switched off once for the file: only asked when there is something to report.
    let docker_clean_off = || c.runs().any(|(_, i, _)| i.text.contains("docker-clean"));
    if !found.is_empty() && docker_clean_off() {
        return Vec::new();
    }
    found
}

fn apt_no_yes(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (_, i, cmds) in c.runs() {
        for (n, cmd) in cmds.iter().enumerate() {
            if cmd.program() != "apt-get" || cmd.subcommand() != Some("install") {
                continue;
            }
            let piped_yes = n > 0 && cmds[n - 1].piped && cmds[n - 1].program() == "yes";
            let yes = cmd.args().iter().any(|a| {
                a == "--yes"
                    || a == "--assume-yes"
                    || a == "-qq"
                    || a == "--quiet=2"
                    || a == "-q=2"
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('y'))
            });
            if !yes && !piped_yes {
                found.push((i.line, None));
                break;
            }
        }
    }
    // Configured once for the file: only asked when there is something to report.
    if !found.is_empty()
        && c.parsed
            .instructions
            .iter()
            .any(|i| i.text.contains("Assume-Yes"))
    {
        return Vec::new();
    }
    found
}

fn pipe_without_pipefail(c: &Ctx) -> Found {
    let shells = shell_set(c);
    c.runs()
        .filter(|(k, i, cmds)| {
            let shell_ok = shells[*k].is_some_and(|s| {
                let text = s.values.join(" ");
                text.contains("pipefail") || !(text.contains("sh") || text.contains("bash"))
            });
            let set_in_script = cmds.iter().any(|c| {
                c.program() == "set"
                    && c.args()
                        .iter()
                        .any(|a| a == "pipefail" || (a.starts_with('-') && a.contains('o')))
            });
            !i.is_exec()
                && !shell_ok
                && !set_in_script
                && cmds
                    .iter()
                    .any(|c| c.piped && !matches!(c.program(), "echo" | "printf" | "yes"))
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

fn copy_relative_without_workdir(c: &Ctx) -> Found {
    let mut set: Vec<bool> = vec![false; c.a.stages.len()];
    let mut found = Vec::new();
    for (k, i) in c.instructions() {
        let Some(s) = c.stage(k) else { continue };
        match i.keyword.as_ref() {
            "FROM" => set[s] = c.a.stages[s].parent.is_some_and(|p| set[p]),
            "WORKDIR" => set[s] = true,
            "COPY" if !set[s] => {
                let dest = unquote(i.values.last().map(String::as_str).unwrap_or("/"));
                if !dest.starts_with('/') && !dest.contains('$') && !is_windows_path(dest) {
                    found.push((
                        i.line,
                        Some(format!(
                            "COPY to '{}' before any WORKDIR (said once per stage)",
                            shorten(dest, 40)
                        )),
                    ));
                    // Once per stage: the fix, one WORKDIR, covers the rest.
                    set[s] = true;
                }
            }
            _ => {}
        }
    }
    found
}

/// hadolint's reading: two RUNs in a row with the same flags, each of at most two commands
/// (longer chains show the split was chosen on purpose).
fn consecutive_run(c: &Ctx) -> Found {
    let mut found = Vec::new();
    let list = &c.parsed.instructions;
    for k in 1..list.len() {
        let (prev, cur) = (&list[k - 1], &list[k]);
        if prev.keyword == "RUN"
            && cur.keyword == "RUN"
            && prev.flags == cur.flags
            && c.scripts[k - 1].len() <= 2
            && c.scripts[k].len() <= 2
            && c.stage(k - 1) == c.stage(k)
        {
            found.push((cur.line, None));
        }
    }
    found
}

fn version_redirect(cmd: &Command) -> bool {
    cmd.redirects.iter().any(|(op, target)| {
        (op == ">" || op == "<" || op == ">>")
            && target.starts_with(|c: char| c == '=' || c.is_ascii_digit() || c == '~')
    })
}

fn pip_unpinned(c: &Ctx) -> Found {
    const VCS: [&str; 4] = ["git+", "hg+", "svn+", "bzr+"];
    let mut found = Vec::new();
    for (_, i, cmds) in c.runs() {
        let mut unpinned: Vec<&str> = Vec::new();
        for cmd in cmds.iter().filter(|c| c.is_pip_install()) {
            let args = cmd.pip_args().unwrap_or_default();
            if args.iter().any(|a| {
                a == "-r"
                    || a == "-c"
                    || a.starts_with("--requirement")
                    || a.starts_with("--constraint")
                    || a == "."
                    || a.starts_with("-r")
            }) || version_redirect(cmd)
            {
                continue;
            }
            let packages: Vec<&str> = operands(args, super::reading::PIP_VALUES)
                .into_iter()
                .filter(|p| *p != "install")
                .collect();
            let upgrades_tools = packages
                .iter()
                .all(|p| matches!(*p, "pip" | "setuptools" | "wheel" | "uv"));
            if upgrades_tools {
                continue;
            }
            unpinned.extend(packages.into_iter().filter(|p| {
                let pinned = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
                    .iter()
                    .any(|s| p.contains(s));
                let vcs = VCS.iter().any(|v| p.starts_with(v)) && p.contains('@');
                let local = p.ends_with(".whl") || p.ends_with(".tar.gz") || p.ends_with(".zip");
                let path = !VCS.iter().any(|v| p.starts_with(v))
                    && (p.contains('/') || p.starts_with('.'));
                !(pinned || vcs || local || path || p.contains('$') || p.contains(" @ "))
            }));
        }
        if let Some(detail) = without_versions("pip", &unpinned) {
            found.push((i.line, Some(detail)));
        }
    }
    found
}

fn pip_cache_kept(c: &Ctx) -> Found {
    // PIP_NO_CACHE_DIR from ENV, per stage, inherited from the stage built on.
    let mut no_cache: Vec<bool> = vec![false; c.a.stages.len()];
    let mut found = Vec::new();
    for (k, i) in c.instructions() {
        let Some(s) = c.stage(k) else { continue };
        match i.keyword.as_ref() {
            "FROM" => no_cache[s] = c.a.stages[s].parent.is_some_and(|p| no_cache[p]),
            "ENV" => {
                for (name, value) in &c.a.env_set[k] {
                    if name == "PIP_NO_CACHE_DIR" {
                        no_cache[s] = is_truthy(value);
                    }
                }
            }
            "RUN" if c.in_final_chain[s] && !no_cache[s] => {
                let cmds = &c.scripts[k];
                let keeps = cmds.iter().any(|cmd| {
                    cmd.pip_args().is_some()
                        && cmd.program() != "uv"
                        && cmd.is_pip_install()
                        && !cmd.args().iter().any(|a| a.starts_with("--no-cache"))
                        && !cmd
                            .assignments
                            .iter()
                            .any(|a| a.strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(is_truthy))
                });
                let purged = cmds.iter().any(|cmd| {
                    cmd.pip_args().is_some_and(|a| {
                        a.first().is_some_and(|w| w == "cache")
                            && a.get(1).is_some_and(|w| w == "purge" || w == "remove")
                    })
                }) || removes(cmds, "/root/.cache")
                    || removes(cmds, "~/.cache")
                    || removes(cmds, "$HOME/.cache");
                if keeps && !purged && !has_mount(i, &[".cache/pip", "/root/.cache", ".cache"]) {
                    found.push((i.line, None));
                }
            }
            _ => {}
        }
    }
    found
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

fn last_user_root(c: &Ctx) -> Found {
    let end = &c.a.ends[c.a.final_stage()];
    match (&end.user, end.user_line) {
        (Some(user), Some(line)) if is_root(user) => vec![(line, None)],
        _ => Vec::new(),
    }
}

fn base_tag(c: &Ctx, latest: bool) -> Found {
    let mut found = Vec::new();
    for stage in &c.a.stages {
        let base = &stage.base_resolved;
        if stage.parent.is_some()
            || base.eq_ignore_ascii_case("scratch")
            || stage.base.contains('$')
            || c.a.stage_named(base).is_some()
        {
            continue;
        }
        let Ok(n) = parse_normalized(base) else {
            continue;
        };
        if n.written.digest.is_some() {
            continue;
        }
        match (n.written.tag, latest) {
            (None, false) => found.push((
                stage.line,
                Some(format!(
                    "FROM {} has no tag, so it means {}:latest",
                    shorten(base, 40),
                    shorten(base, 40)
                )),
            )),
            (Some("latest"), true) => found.push((
                stage.line,
                Some(format!("FROM {} follows the latest tag", shorten(base, 40))),
            )),
            _ => {}
        }
    }
    found
}

/// Archive names ADD unpacks.
pub fn is_archive(path: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz",
        ".bz2", ".xz",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

fn add_instead_of_copy(c: &Ctx) -> Found {
    c.of("ADD")
        .filter(|(_, i)| i.values.len() >= 2 && i.heredocs.is_empty())
        .filter(|(_, i)| {
            i.values[..i.values.len() - 1].iter().all(|s| {
                !s.contains("://") && !s.starts_with("git@") && !is_archive(s) && !s.contains('$')
            })
        })
        .map(|(_, i)| (i.line, None))
        .collect()
}

fn wget_without_progress(c: &Ctx) -> Found {
    c.runs()
        .filter(|(_, _, cmds)| {
            cmds.iter().any(|cmd| {
                cmd.program() == "wget"
                    && !cmd.args().iter().any(|a| {
                        matches!(
                            &**a,
                            "--quiet"
                                | "-nv"
                                | "--no-verbose"
                                | "-o"
                                | "-a"
                                | "--output-file"
                                | "--append-output"
                        ) || a.starts_with("--progress")
                            || a.starts_with("--output-file=")
                            || (a.starts_with('-') && !a.starts_with("--") && a.contains('q'))
                    })
            })
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

fn wget_and_curl(c: &Ctx) -> Found {
    let first = |tool: &str| {
        c.runs()
            .find(|(_, _, cmds)| cmds.iter().any(|cmd| cmd.program() == tool))
            .map(|(_, i, _)| i.line)
    };
    match (first("wget"), first("curl")) {
        (Some(w), Some(cu)) => vec![(
            w.max(cu),
            Some("Both wget and curl are used in this Dockerfile".into()),
        )],
        _ => Vec::new(),
    }
}

fn apk_no_cache(c: &Ctx) -> Found {
    c.runs()
        .filter(|(k, i, cmds)| {
            c.final_chain(*k)
                && cmds.iter().any(|cmd| {
                    cmd.program() == "apk"
                        && cmd.subcommand() == Some("add")
                        && !cmd.has("--no-cache")
                })
                && !removes(cmds, "/var/cache/apk")
                && !has_mount(i, &["/var/cache/apk", "/etc/apk/cache"])
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

fn dnf_yum_no_clean(c: &Ctx) -> Found {
    c.runs()
        .filter(|(k, i, cmds)| {
            let tools = ["dnf", "yum", "microdnf"];
            let installs = cmds
                .iter()
                .any(|cmd| tools.contains(&cmd.program()) && cmd.subcommand() == Some("install"));
            let cleans = cmds
                .iter()
                .any(|cmd| tools.contains(&cmd.program()) && cmd.subcommand() == Some("clean"))
                || removes(cmds, "/var/cache/dnf")
                || removes(cmds, "/var/cache/yum");
            c.final_chain(*k)
                && installs
                && !cleans
                && !has_mount(
                    i,
                    &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
                )
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

fn copy_from_own_stage(c: &Ctx) -> Found {
    c.of("COPY")
        .filter(|(k, i)| {
            i.flag("from").is_some_and(|f| {
                let named = c.a.stage_named(f);
                named.is_some() && named == c.stage(*k)
            })
        })
        .map(|(_, i)| (i.line, None))
        .collect()
}

fn copy_from_unknown_stage(c: &Ctx) -> Found {
    let names: Vec<&String> = c.a.by_name.keys().collect();
    c.of("COPY")
        .filter_map(|(_, i)| {
            let from = i.flag("from")?;
            if c.a.stage_named(from).is_some() || from.contains(['/', ':', '.', '@', '$']) {
                return None;
            }
            let near = names
                .iter()
                .filter(|n| strsim::damerau_levenshtein(n, &from.to_ascii_lowercase()) <= 2)
                .min_by_key(|n| strsim::damerau_levenshtein(n, &from.to_ascii_lowercase()))?;
            Some((
                i.line,
                Some(format!(
                    "--from={} names no stage; did you mean {near}?",
                    shorten(from, 40)
                )),
            ))
        })
        .collect()
}

fn copy_many_to_file(c: &Ctx) -> Found {
    c.of("COPY")
        .filter(|(_, i)| {
            i.values.len() > 2
                && i.values.last().is_some_and(|d| {
                    let d = unquote(d);
                    !d.ends_with('/')
                        && !d.contains('$')
                        && d != "."
                        && d != ".."
                        && !d.ends_with("/.")
                })
        })
        .map(|(_, i)| (i.line, None))
        .collect()
}

fn env_uses_own_pair(c: &Ctx) -> Found {
    let mut found = Vec::new();
    for (_, i) in c.of("ENV") {
        let pairs: Vec<(&str, &str)> = i
            .values
            .chunks(3)
            .filter_map(|p| match p {
                [k, v, _] => Some((k.as_str(), v.as_str())),
                _ => None,
            })
            .collect();
        'pairs: for (j, (_, value)) in pairs.iter().enumerate() {
            for (key, _) in &pairs[..j] {
                if refers_to(value, key) {
                    found.push((
                        i.line,
                        Some(format!(
                            "${key} is set in the same ENV, so here it still has its old value"
                        )),
                    ));
                    break 'pairs;
                }
            }
        }
    }
    found
}

fn refers_to(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        if let Some(tail) = after.strip_prefix(name)
            && !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
}

fn apt_update_alone(c: &Ctx) -> Found {
    c.runs()
        .filter(|(_, _, cmds)| {
            let uses_index = cmds.iter().any(|cmd| {
                matches!(cmd.program(), "apt-get" | "apt" | "aptitude" | "apt-cache")
                    && cmd.subcommand().is_some_and(|s| s != "update")
            }) || cmds.iter().any(|cmd| {
                cmd.program().contains("apt")
                    && cmd.program() != "apt-get"
                    && cmd.program() != "apt"
            });
            apt_update(cmds) && !uses_index && !removes(cmds, "/var/lib/apt/lists")
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

/// A command that installs a project's dependencies from a manifest.
fn installs_dependencies(cmd: &Command) -> bool {
    let sub = cmd.subcommand().unwrap_or("");
    if let Some(args) = cmd.pip_args() {
        return cmd.is_pip_install()
            && args.iter().any(|a| {
                a == "." || a.starts_with("-r") || a.starts_with("--requirement") || a == "-e"
            });
    }
    match cmd.program() {
        "poetry" | "pipenv" | "pdm" => sub == "install",
        "uv" => sub == "sync",
        "npm" => sub == "ci" || sub == "install",
        "conda" | "mamba" | "micromamba" => sub == "env" || cmd.has("--file") || cmd.has("-f"),
        _ => false,
    }
}

const MANIFESTS: [&str; 11] = [
    "requirements",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "setup.py",
    "setup.cfg",
    "environment.yml",
    "environment.yaml",
    "package.json",
    "pipfile",
    "conda-lock",
];

fn copy_all_before_install(c: &Ctx) -> Found {
    let mut found = Vec::new();
    let list = &c.parsed.instructions;
    // One pass from the end: for each stage, whether a dependency install follows.
    let mut install_after = vec![false; list.len()];
    let mut seen: Vec<bool> = vec![false; c.a.stages.len()];
    for k in (0..list.len()).rev() {
        let Some(s) = c.stage(k) else { continue };
        install_after[k] = seen[s];
        if list[k].keyword == "RUN" && c.scripts[k].iter().any(installs_dependencies) {
            seen[s] = true;
        }
    }
    let mut manifest_copied: Vec<bool> = vec![false; c.a.stages.len()];
    for (k, i) in c.instructions() {
        let Some(s) = c.stage(k) else { continue };
        // Without a dependency install later in the stage, neither this COPY nor a later
        // one in the stage can be reported, so what it copies does not matter.
        if i.keyword != "COPY"
            || !install_after[k]
            || i.flag("from").is_some()
            || i.values.len() < 2
        {
            continue;
        }
        let sources = &i.values[..i.values.len() - 1];
        if sources
            .iter()
            .any(|s| MANIFESTS.iter().any(|m| contains_ignore_ascii_case(s, m)))
        {
            manifest_copied[s] = true;
        }
        let everything = sources.iter().any(|s| s == "." || s == "./");
        if everything && install_after[k] && !manifest_copied[s] {
            found.push((i.line, None));
        }
    }
    found
}

/// Whether `text` contains `needle` (lowercase ASCII) in any ASCII case, as
/// `text.to_ascii_lowercase().contains(needle)` without the copy.
fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn cuda_devel_final(c: &Ctx) -> Found {
    let end = &c.a.ends[c.a.final_stage()];
    let root = end.root_image.to_ascii_lowercase();
    let cuda = root.contains("nvidia/cuda")
        || root.contains("pytorch/pytorch")
        || root.contains("nvcr.io/nvidia");
    let devel = root
        .rsplit(':')
        .next()
        .is_some_and(|tag| tag.split('-').any(|p| p == "devel"));
    if !(cuda && devel) {
        return Vec::new();
    }
    let mut s = c.a.final_stage();
    while let Some(p) = c.a.stages[s].parent {
        s = p;
    }
    vec![(c.a.stages[s].line, None)]
}

fn unquoted_version_spec(c: &Ctx) -> Found {
    c.runs()
        .filter_map(|(_, i, cmds)| {
            let cmd = cmds.iter().find(|cmd| {
                let installer = cmd.pip_args().is_some()
                    || matches!(cmd.program(), "conda" | "mamba" | "micromamba" | "uv" | "poetry");
                installer && version_redirect(cmd)
            })?;
            let (op, target) = cmd.redirects.iter().find(|(op, t)| (op == ">" || op == "<" || op == ">>") && t.starts_with(|c: char| c == '=' || c.is_ascii_digit() || c == '~'))?;
            Some((i.line, Some(format!("The shell reads the unquoted `{op}{}` as a redirection, not a version: quote the requirement", shorten(target, 30)))))
        })
        .collect()
}

fn conda_no_clean(c: &Ctx) -> Found {
    c.runs()
        .filter(|(k, i, cmds)| {
            let tools = ["conda", "mamba", "micromamba"];
            let installs = cmds.iter().any(|cmd| {
                tools.contains(&cmd.program())
                    && matches!(
                        cmd.subcommand(),
                        Some("install" | "create" | "update" | "env")
                    )
            });
            let cleans = cmds
                .iter()
                .any(|cmd| tools.contains(&cmd.program()) && cmd.subcommand() == Some("clean"))
                || removes(cmds, "/opt/conda/pkgs");
            c.final_chain(*k) && installs && !cleans && !has_mount(i, &["/opt/conda/pkgs", "pkgs"])
        })
        .map(|(_, i, _)| (i.line, None))
        .collect()
}

/// Base images known to switch to an unprivileged user themselves.
fn runs_unprivileged(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    ["jupyter/", "bitnami/", "chainguard", "nonroot", "rootless"]
        .iter()
        .any(|m| image.contains(m))
}

fn no_user_in_final(c: &Ctx) -> Found {
    let end = &c.a.ends[c.a.final_stage()];
    if end.user.is_some()
        || end.root_image.eq_ignore_ascii_case("scratch")
        || runs_unprivileged(&end.root_image)
    {
        return Vec::new();
    }
    vec![(c.a.stages[c.a.final_stage()].line, None)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::dockerfile::explain_with;

    /// Runs the examples of the data file: a `# dockerignore: …` first line gives the patterns.
    fn tips_of(source: &str) -> Vec<Tip> {
        let dockerignore = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# dockerignore:"))
            .map(|p| p.split_whitespace().map(str::to_owned).collect());
        let options = Options {
            dockerignore,
            ..Options::default()
        };
        explain_with(source, &options).expect("example parses").tips
    }

    #[test]
    fn every_tip_fires_on_its_example_and_stays_silent_on_the_other() {
        for info in TIPS.iter().filter(|t| !t.registry) {
            let fired = tips_of(info.fires);
            assert!(
                fired.iter().any(|t| t.id == info.name),
                "{} did not fire on:\n{}\n{fired:#?}",
                info.name,
                info.fires
            );
            let silent = tips_of(info.silent);
            assert!(
                !silent.iter().any(|t| t.id == info.name),
                "{} fired on its silent example:\n{}\n{silent:#?}",
                info.name,
                info.silent
            );
        }
    }

    #[test]
    fn registry_checks_are_listed_but_never_reported() {
        let registry: Vec<_> = TIPS.iter().filter(|t| t.registry).collect();
        assert_eq!(
            registry.iter().map(|t| t.name).collect::<Vec<_>>(),
            ["InvalidBaseImagePlatform"]
        );
        // A stage for arm64 from an image that may well be published for amd64 only: only
        // the registry can tell, so nothing is claimed.
        let tips = tips_of("FROM --platform=linux/arm64 python:3.12\nRUN python -V\n");
        assert!(!tips.iter().any(|t| t.id == "InvalidBaseImagePlatform"));
        assert!(info("InvalidBaseImagePlatform").is_some_and(|t| t.registry));
    }

    #[test]
    fn silencing_comments_directives_and_options() {
        let source = "FROM python:3.12\n# dterms-ignore=JSONArgsRecommended\nCMD python serve.py\n";
        assert!(
            !tips_of(source)
                .iter()
                .any(|t| t.id == "JSONArgsRecommended")
        );
        let source = "# check=skip=JSONArgsRecommended\nFROM python:3.12\nCMD python serve.py\n";
        assert!(
            !tips_of(source)
                .iter()
                .any(|t| t.id == "JSONArgsRecommended")
        );
        let options = Options {
            ignore: vec!["jsonargsrecommended".into()],
            ..Options::default()
        };
        let e = explain_with("FROM python:3.12\nCMD python serve.py\n", &options).expect("valid");
        assert!(!e.tips.iter().any(|t| t.id == "JSONArgsRecommended"));
        let e = explain_with(
            "FROM python:3.12\nCMD python serve.py\n",
            &Options::default(),
        )
        .expect("valid");
        assert!(e.tips.iter().any(|t| t.id == "JSONArgsRecommended"));
    }

    #[test]
    fn secret_names_follow_word_boundaries() {
        for name in [
            "KAGGLE_KEY",
            "HF_AUTH",
            "HF_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "DB_PASSWORD",
            "OPENAI_API_KEY",
            "WANDB_API_KEY",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "TOKENIZERS_PARALLELISM",
            "MAX_NEW_TOKENS",
            "DB_PASSWORD_FILE",
            "SCCACHE_S3_NO_CREDENTIALS",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "GPG_KEY",
            "HF_TOKEN_PATH",
            "MAX_TOKEN_LENGTH",
            "PUBLIC_KEY",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }
}
