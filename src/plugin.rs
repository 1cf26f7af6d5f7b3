//! dterms as a Docker CLI plugin, `docker terms …`: the metadata the docker CLI asks every
//! plugin for, docker's global options passed through, the error hook that prints a short
//! cause and fix under "What's next:" after a failed `docker` command, and
//! `dterms install docker-plugin`.
//!
//! The contract is docker/cli's `cli-plugins/` (manager/manager.go, manager/plugin.go,
//! manager/hooks.go, hooks/hook_types.go, metadata/metadata.go): the binary is found as
//! `docker-terms` in `$DOCKER_CONFIG/cli-plugins`; docker runs `docker-terms
//! docker-cli-plugin-metadata` to list it, `docker-terms [docker's global options] terms ARGS…`
//! to run it (with `DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND` set), and, when hooks are on,
//! `docker-terms terms docker-cli-plugin-hooks '{"RootCmd":…,"Flags":…,"CommandError":…}'`
//! after a command, reading `{"Type":0,"Template":"…"}` from its standard output.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::explain::error;

/// The plugin's name: `docker terms`.
pub const PLUGIN_NAME: &str = "terms";
/// The binary's name in a `cli-plugins` folder.
pub const BINARY_NAME: &str = if cfg!(windows) {
    "docker-terms.exe"
} else {
    "docker-terms"
};
/// The subcommand docker runs to read a plugin's metadata (metadata.MetadataSubcommandName).
pub const METADATA_SUBCOMMAND: &str = "docker-cli-plugin-metadata";
/// The subcommand docker runs after a command when hooks are on (metadata.HookSubcommandName).
pub const HOOK_SUBCOMMAND: &str = "docker-cli-plugin-hooks";
/// Set by docker when it runs a plugin (metadata.ReexecEnvvar).
pub const REEXEC_ENV: &str = "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND";
/// The first docker version whose config knows `error-hooks` (docker/cli#6794, in v29.3.0).
pub const ERROR_HOOKS_SINCE: &str = "29.3.0";
/// The lines of `~/.docker/config.json` that turn the error hook on.
pub const CONFIG_LINES: &str = r#"{
  "features": { "hooks": "true" },
  "plugins": {
    "terms": { "error-hooks": "run,build,buildx,compose,pull,push,exec,start,login" }
  }
}"#;

/// What a run of the binary was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// docker asks for the plugin's metadata.
    Metadata,
    /// docker runs the error hook with this JSON request.
    Hook(String),
    /// A dterms command line (docker's part removed when run as `docker terms`).
    Run(Vec<OsString>),
}

/// Docker's global options that take a value (cli/flags/options.go, `InstallFlags`).
const GLOBAL_WITH_VALUE: [&str; 10] = [
    "--config",
    "--context",
    "-c",
    "--host",
    "-H",
    "--log-level",
    "-l",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];
/// And the rest of them, which take none (or are written `--name=value`).
const GLOBAL_FLAGS: [&str; 4] = ["--debug", "-D", "--tls", "--tlsverify"];

/// Decides what the process was asked to do from its arguments, and whether docker started it
/// (`REEXEC_ENV` set, or the binary called `docker-terms`).
pub fn route(args: Vec<OsString>, started_by_docker: bool) -> Invocation {
    if args.get(1).is_some_and(|a| a == METADATA_SUBCOMMAND) {
        return Invocation::Metadata;
    }
    let called_as_plugin = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .is_some_and(|name| name.to_string_lossy().starts_with("docker-terms"));
    if !(started_by_docker || called_as_plugin) {
        return Invocation::Run(args);
    }
    let mut rest = args.into_iter().skip(1).peekable();
    // docker passes its own arguments on (manager.go: `exec.Command(plugin.Path, os.Args[1:]…)`):
    // its global options, then the plugin's name.
    while let Some(arg) = rest.peek() {
        let text = arg.to_string_lossy();
        if text == "--" {
            rest.next();
            break;
        }
        if !text.starts_with('-') || text == "-" {
            break;
        }
        let name = text.split('=').next().unwrap_or_default();
        let takes_value = GLOBAL_WITH_VALUE.contains(&name) && !text.contains('=');
        let known = GLOBAL_WITH_VALUE.contains(&name) || GLOBAL_FLAGS.contains(&name);
        if !known {
            break;
        }
        rest.next();
        if takes_value {
            rest.next();
        }
    }
    if rest.peek().is_some_and(|a| a == PLUGIN_NAME) {
        rest.next();
    }
    if rest.peek().is_some_and(|a| a == HOOK_SUBCOMMAND) {
        rest.next();
        let request = rest
            .next()
            .map(|a| a.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Invocation::Hook(request);
    }
    Invocation::Run(
        std::iter::once(OsString::from("docker terms"))
            .chain(rest)
            .collect(),
    )
}

/// The metadata docker's plugin manager reads (metadata.Metadata).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Metadata {
    schema_version: &'static str,
    vendor: &'static str,
    version: &'static str,
    short_description: &'static str,
    #[serde(rename = "URL", skip_serializing_if = "str::is_empty")]
    url: &'static str,
}

/// The request docker passes to the hook (hooks.Request). Unknown fields are ignored, as the
/// contract asks of plugins.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HookRequest {
    /// The configured hook that matched, such as `run` or `compose`.
    pub root_cmd: String,
    /// The flags set on the failed command, without values.
    pub flags: BTreeMap<String, String>,
    /// The failed command's error message; empty when it succeeded.
    pub command_error: String,
}

/// The hook's answer (hooks.Response): type 0 is "next steps", one message per line.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct HookResponse {
    #[serde(rename = "Type")]
    kind: u8,
    template: String,
}

/// The most lines docker accepts from one hook (hooks/template.go, `maxMessages`).
const MAX_HOOK_LINES: usize = 10;

/// Answers docker: the metadata, or the hook's response. Never fails the docker command: a
/// malformed request gets an empty answer.
pub fn answer(invocation: &Invocation, out: &mut dyn Write) -> io::Result<()> {
    match invocation {
        Invocation::Metadata => {
            let metadata = Metadata {
                schema_version: "0.1.0",
                vendor: "dterms",
                version: env!("CARGO_PKG_VERSION"),
                short_description: "Explain Docker's words and error messages, offline",
                url: env!("CARGO_PKG_HOMEPAGE"),
            };
            serde_json::to_writer_pretty(&mut *out, &metadata)?;
            writeln!(out)
        }
        Invocation::Hook(request) => {
            let request: HookRequest = serde_json::from_str(request).unwrap_or_default();
            let response = HookResponse {
                kind: 0,
                template: hook_message(&request.command_error),
            };
            serde_json::to_writer(&mut *out, &response)?;
            writeln!(out)
        }
        Invocation::Run(_) => Ok(()),
    }
}

/// The "What's next" lines for a failed command's error: the best entry's title, why, the
/// first step of its fix and where to read more; empty when no entry matches, so docker prints
/// nothing. docker reads the text as a Go template when it holds `{{`, so that is escaped.
pub fn hook_message(command_error: &str) -> String {
    let Some(found) = error::recognise(command_error).into_iter().next() else {
        return String::new();
    };
    let entry = found.entry;
    let plain = |text: &str| text.replace('`', "").replace('\n', " ");
    let first_sentence = |text: &str| {
        let text = plain(text);
        match text.find(". ") {
            Some(end) => text[..=end].to_owned(),
            None => text,
        }
    };
    let mut lines = vec![
        format!("dterms: {}", entry.title),
        format!("Why: {}", first_sentence(entry.cause)),
    ];
    for step in entry.fix.iter().take(2) {
        lines.push(format!("Fix: {}", plain(step)));
    }
    lines.push(format!("More: docker terms show {}", entry.id));
    lines.truncate(MAX_HOOK_LINES);
    let text: Vec<String> = lines
        .iter()
        .map(|line| crate::render::sanitize_line(line).replace("{{", "{{\"{{\"}}"))
        .collect();
    text.join("\n")
}

/// Where `dterms install docker-plugin` puts the plugin: `cli-plugins` in `$DOCKER_CONFIG`, or
/// in `~/.docker` (cli/config.Dir).
pub fn plugin_dir(docker_config: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    match docker_config.filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join("cli-plugins")),
        None => home
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".docker").join("cli-plugins")),
    }
}

/// Installs `exe` as docker's `terms` plugin in `dir`: a symbolic link where the system has
/// them, else a copy. With `dry_run`, only says what it would do. Writes what it did, then the
/// config lines for the error hook.
pub fn install(exe: &Path, dir: &Path, dry_run: bool, out: &mut dyn Write) -> io::Result<()> {
    let target = dir.join(BINARY_NAME);
    let would = if dry_run { "would " } else { "" };
    if !dir.is_dir() {
        writeln!(out, "{would}create {}", dir.display())?;
        if !dry_run {
            std::fs::create_dir_all(dir)?;
        }
    }
    let same = std::fs::read_link(&target).is_ok_and(|linked| linked == exe);
    if same {
        writeln!(
            out,
            "{} already links to {}",
            target.display(),
            exe.display()
        )?;
    } else {
        if target.symlink_metadata().is_ok() {
            writeln!(out, "{would}replace {}", target.display())?;
            if !dry_run {
                std::fs::remove_file(&target)?;
            }
        }
        let how = if cfg!(unix) { "link" } else { "copy" };
        writeln!(
            out,
            "{would}{how} {} -> {}",
            target.display(),
            exe.display()
        )?;
        if !dry_run {
            link_or_copy(exe, &target)?;
        }
    }
    writeln!(out, "\nThen: docker terms show image")?;
    writeln!(
        out,
        "\nTo explain failed docker commands as they fail (Docker {ERROR_HOOKS_SINCE} or later),\nmerge these lines into {}:\n{CONFIG_LINES}",
        dir.parent().unwrap_or(dir).join("config.json").display()
    )
}

#[cfg(unix)]
fn link_or_copy(exe: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(exe, target)
}

#[cfg(not(unix))]
fn link_or_copy(exe: &Path, target: &Path) -> io::Result<()> {
    std::fs::copy(exe, target).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn docker_asks_for_metadata_with_the_subcommand_alone() {
        // candidate.go: exec.Command(c.path, metadata.MetadataSubcommandName)
        assert_eq!(
            route(
                args(&[
                    "/home/a/.docker/cli-plugins/docker-terms",
                    METADATA_SUBCOMMAND
                ]),
                false
            ),
            Invocation::Metadata
        );
    }

    #[test]
    fn docker_global_options_and_the_plugin_name_are_dropped() {
        // manager.go: exec.Command(plugin.Path, os.Args[1:]...)
        let routed = route(
            args(&[
                "docker-terms",
                "--context",
                "remote",
                "-D",
                "--log-level=warn",
                "terms",
                "show",
                "image",
            ]),
            true,
        );
        assert_eq!(
            routed,
            Invocation::Run(args(&["docker terms", "show", "image"]))
        );
        let plain = route(args(&["dterms", "show", "terms"]), false);
        assert_eq!(plain, Invocation::Run(args(&["dterms", "show", "terms"])));
    }

    #[test]
    fn the_hook_request_is_the_argument_after_the_subcommand() {
        // plugin.go RunHook: exec.CommandContext(ctx, p.Path, p.Name, metadata.HookSubcommandName, string(hDataBytes))
        let json = r#"{"RootCmd":"run","Flags":{"gpus":""},"CommandError":"x"}"#;
        assert_eq!(
            route(
                args(&["/p/docker-terms", "terms", HOOK_SUBCOMMAND, json]),
                true
            ),
            Invocation::Hook(json.to_owned())
        );
    }

    #[test]
    fn the_hook_answers_a_known_error_and_stays_quiet_otherwise() {
        let message = hook_message(
            "Error response from daemon: could not select device driver \"\" with capabilities: [[gpu]]",
        );
        let lines: Vec<&str> = message.lines().collect();
        assert!(lines[0].contains("GPU"), "{message}");
        assert!(lines.iter().any(|l| l.starts_with("Fix: ")), "{message}");
        assert!(lines.len() <= MAX_HOOK_LINES);
        assert_eq!(hook_message("exited with code 1"), "");
        // A fix with a Go template in it is escaped, so docker prints it as written.
        let oom = hook_message("exited with code 137");
        assert!(oom.contains(r#"{{"{{"}}"#), "{oom}");
    }

    #[test]
    fn the_plugin_folder_honours_docker_config() {
        assert_eq!(
            plugin_dir(Some(OsStr::new("/cfg")), Some(OsStr::new("/home/a"))),
            Some(PathBuf::from("/cfg/cli-plugins"))
        );
        assert_eq!(
            plugin_dir(None, Some(OsStr::new("/home/a"))),
            Some(PathBuf::from("/home/a/.docker/cli-plugins"))
        );
        assert_eq!(plugin_dir(None, None), None);
    }
}
