//! `docker run` (or `create`) as a compose service. Which attribute each option becomes comes
//! from the CLI data (`compose:` in data/docker-cli.yaml), and the shape of that attribute
//! (one value, a list, a switch, a mapping) from data/compose-keys.yaml; this module only turns
//! values into YAML, with the few conversions Compose's syntax needs (GPUs, --mount, networks,
//! health commands, ulimits).

use std::fmt::Write as _;

use serde::Serialize;

use super::keys::{self, Shape};
use super::volumes;
use crate::explain::command::{Explanation, data};

/// A service equivalent to a command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// The service's name.
    pub service: String,
    /// A whole compose file holding it.
    pub yaml: String,
    /// What could not be carried over, and why.
    pub notes: Vec<String>,
}

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Y {
    Str(String),
    Plain(String),
    List(Vec<Y>),
    Map(Vec<(String, Y)>),
}

impl Y {
    /// The entry under `key` of a mapping, created empty (as a mapping) when missing.
    fn entry(&mut self, key: &str, empty: Y) -> &mut Y {
        let Y::Map(entries) = self else {
            unreachable!("entries are only asked of mappings")
        };
        let at = match entries.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                entries.push((key.to_owned(), empty));
                entries.len() - 1
            }
        };
        &mut entries[at].1
    }

    fn push(&mut self, item: Y) {
        if let Y::List(items) = self {
            items.push(item);
        }
    }

    fn set(&mut self, key: &str, value: Y) {
        *self.entry(key, Y::Plain(String::new())) = value;
    }
}

fn map() -> Y {
    Y::Map(Vec::new())
}

fn list() -> Y {
    Y::List(Vec::new())
}

/// The service a `docker run` or `docker create` line amounts to; `None` for other commands.
pub fn from_run(e: &Explanation) -> Option<Conversion> {
    let sub = e.subcommand.as_deref()?;
    if !matches!(sub, "run" | "container run" | "create" | "container create") {
        return None;
    }
    let command = data::command(sub)?;
    let image = e.image.clone()?;
    let mut service = map();
    let mut notes = Vec::new();
    let mut volumes_top: Vec<String> = Vec::new();
    let mut network: Option<String> = None;
    let mut on_network: Vec<(String, Y)> = Vec::new();
    let mut relative_noted = false;
    service.set("image", Y::Str(image.clone()));
    for (long, value) in &e.options {
        let Some(opt) = command.options().iter().find(|o| o.has_long(long)) else {
            continue;
        };
        let Some(attribute) = opt.compose() else {
            notes.push(format!(
                "--{long} has no compose equivalent, so it is left out ({})",
                lowercase_first(&opt.meaning().replace("{}", value.as_deref().unwrap_or("")))
            ));
            continue;
        };
        let value = value.clone().unwrap_or_default();
        let (head, tail) = attribute.split_once('.').unwrap_or((attribute, ""));
        match (head, tail) {
            ("gpus", _) => {
                let device = gpu_request(&value);
                let reservations = service
                    .entry("deploy", map())
                    .entry("resources", map())
                    .entry("reservations", map());
                reservations.entry("devices", list()).push(device);
            }
            ("volumes", _) if long.starts_with("mount") => {
                service.entry("volumes", list()).push(mount(&value, &mut notes));
            }
            ("volumes", _) => {
                if let Ok(m) = volumes::short(&value, 0) {
                    if m.relative_source().is_some() && !relative_noted {
                        relative_noted = true;
                        notes.push("Relative host paths are read from the compose file's folder, not from where you run docker compose.".into());
                    }
                    // $PWD/data was a path once the shell filled it in; Compose fills it in
                    // from the environment too, so it is no volume name.
                    if m.kind == volumes::MountType::Volume
                        && let Some(source) = m.source
                        && !source.starts_with('$')
                        && !volumes_top.contains(&source)
                    {
                        volumes_top.push(source);
                    }
                }
                service.entry("volumes", list()).push(Y::Str(value));
            }
            ("network_mode", _) => {
                if is_network_mode(&value) {
                    service.set("network_mode", Y::Str(value));
                } else {
                    network = Some(value);
                }
            }
            ("networks", setting) => {
                let item = match setting {
                    "aliases" | "link_local_ips" => Y::List(vec![Y::Str(value)]),
                    _ => Y::Str(value),
                };
                match on_network.iter_mut().find(|(k, _)| k == setting) {
                    Some((_, Y::List(items))) => items.push(match item {
                        Y::List(mut v) => v.remove(0),
                        other => other,
                    }),
                    Some((_, slot)) => *slot = item,
                    None => on_network.push((setting.to_owned(), item)),
                }
            }
            ("healthcheck", "test") => service
                .entry("healthcheck", map())
                .set("test", Y::List(vec![Y::Str("CMD-SHELL".into()), Y::Str(value)])),
            ("healthcheck", "disable") => service.entry("healthcheck", map()).set("disable", Y::Plain("true".into())),
            ("stop_grace_period", _) => {
                let v = if value.bytes().all(|b| b.is_ascii_digit()) { format!("{value}s") } else { value };
                service.set("stop_grace_period", Y::Str(v));
            }
            ("ulimits", _) => {
                let (name, limits) = value.split_once('=').unwrap_or((&value, ""));
                let limit = match limits.split_once(':') {
                    Some((soft, hard)) => Y::Map(vec![
                        ("soft".into(), Y::Plain(soft.into())),
                        ("hard".into(), Y::Plain(hard.into())),
                    ]),
                    None => Y::Plain(limits.into()),
                };
                service.entry("ulimits", map()).set(name, limit);
            }
            ("entrypoint", _) => service.set("entrypoint", Y::List(vec![Y::Str(value)])),
            ("logging", "options") | (_, "") if shape(head) == Shape::Map || tail == "options" => {
                let (k, v) = value.split_once('=').unwrap_or((&value, ""));
                let target = if tail.is_empty() {
                    service.entry(head, map())
                } else {
                    service.entry(head, map()).entry(tail, map())
                };
                target.set(k, Y::Str(v.to_owned()));
            }
            (_, "") => match shape(head) {
                Shape::List => service.entry(head, list()).push(Y::Str(value)),
                Shape::Flag => service.set(
                    head,
                    Y::Plain(if value == "false" { "false" } else { "true" }.into()),
                ),
                _ => service.set(head, Y::Str(value)),
            },
            (_, key) if matches!(head, "healthcheck" | "logging" | "blkio_config") && key != "weight_device" && !key.starts_with("device_") => {
                service.entry(head, map()).set(key, Y::Str(value));
            }
            _ => notes.push(format!(
                "--{long} {value} maps to {attribute}, which takes a form dterms does not write; add it by hand"
            )),
        }
    }
    if let Some(net) = &network {
        let settings = if on_network.is_empty() {
            Y::Plain(String::new())
        } else {
            Y::Map(on_network)
        };
        service.entry("networks", map()).set(net, settings);
    } else if !on_network.is_empty() {
        notes.push(
            "--ip, --ip6 and --network-alias need a user-defined network (--network): left out"
                .into(),
        );
    }
    if !e.container_command.is_empty() {
        service.set(
            "command",
            Y::List(
                e.container_command
                    .iter()
                    .map(|w| Y::Str(w.clone()))
                    .collect(),
            ),
        );
    }
    let name = service_name(&e.options, &image);
    let mut file = map();
    file.entry("services", map()).set(&name, service);
    if !volumes_top.is_empty() {
        let top = file.entry("volumes", map());
        for v in &volumes_top {
            top.set(v, Y::Plain(String::new()));
        }
    }
    if let Some(net) = network {
        file.entry("networks", map()).set(
            &net,
            Y::Map(vec![("external".into(), Y::Plain("true".into()))]),
        );
        notes.push(format!(
            "The network {net} is declared external: it must exist already (docker network create {net}), as it did for docker run."
        ));
    }
    let mut yaml = String::new();
    write(&mut yaml, &file, 0);
    Some(Conversion {
        service: name,
        yaml,
        notes,
    })
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn shape(key: &str) -> Shape {
    keys::find(keys::SERVICE, key).map_or(Shape::Single, |k| k.shape)
}

/// Values of --network that Compose writes as network_mode rather than as a network to join.
fn is_network_mode(value: &str) -> bool {
    matches!(value, "host" | "none" | "bridge" | "default")
        || value.starts_with("container:")
        || value.starts_with("service:")
}

/// The service's name: --name, else the image's repository, as Compose allows names.
fn service_name(options: &[(&str, Option<String>)], image: &str) -> String {
    let given = options
        .iter()
        .find(|(long, _)| *long == "name")
        .and_then(|(_, v)| v.clone());
    let base = given.unwrap_or_else(|| {
        let without_digest = image.split('@').next().unwrap_or(image);
        let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
        last.split(':').next().unwrap_or(last).to_owned()
    });
    let name: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() { "app".into() } else { name }
}

/// `--gpus all`, `--gpus 2`, `--gpus '"device=0,1"'`, `--gpus count=2,capabilities=utility`.
fn gpu_request(value: &str) -> Y {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let mut entries: Vec<(String, Y)> = vec![("driver".into(), Y::Plain("nvidia".into()))];
    let mut capabilities = vec![Y::Plain("gpu".into())];
    if value == "all" {
        entries.push(("count".into(), Y::Plain("all".into())));
    } else if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
        entries.push(("count".into(), Y::Plain(value.into())));
    } else {
        // device=0,1 keeps its commas: everything after device= up to another key= is ids.
        let mut key = "";
        for field in value.split(',') {
            let (k, v) = match field.split_once('=') {
                Some((k, v)) => {
                    key = k;
                    (k, v)
                }
                None => (key, field),
            };
            match k {
                "device" => {
                    let ids = entries.iter_mut().find(|(n, _)| n == "device_ids");
                    match ids {
                        Some((_, list)) => list.push(Y::Str(v.into())),
                        None => {
                            entries.push(("device_ids".into(), Y::List(vec![Y::Str(v.into())])))
                        }
                    }
                }
                "count" => entries.push(("count".into(), Y::Plain(v.into()))),
                "capabilities" => capabilities.push(Y::Plain(v.into())),
                "driver" => entries[0].1 = Y::Plain(v.into()),
                _ => {}
            }
        }
    }
    entries.push(("capabilities".into(), Y::List(capabilities)));
    Y::Map(entries)
}

/// `--mount type=bind,source=./data,target=/data,readonly` as a long-syntax volume.
fn mount(value: &str, notes: &mut Vec<String>) -> Y {
    let mut entries: Vec<(String, Y)> = Vec::new();
    for field in value.split(',') {
        let (k, v) = field.split_once('=').unwrap_or((field, ""));
        let (key, val) = match k {
            "type" => ("type", Y::Plain(v.into())),
            "source" | "src" => ("source", Y::Str(v.into())),
            "target" | "destination" | "dst" => ("target", Y::Str(v.into())),
            "readonly" | "ro" if v.is_empty() || v == "true" || v == "1" => {
                ("read_only", Y::Plain("true".into()))
            }
            "readonly" | "ro" => ("read_only", Y::Plain("false".into())),
            other => {
                notes.push(format!(
                    "--mount field {other} is left out; see the long syntax of volumes"
                ));
                continue;
            }
        };
        entries.push((key.into(), val));
    }
    if !entries.iter().any(|(k, _)| k == "type") {
        entries.insert(0, ("type".into(), Y::Plain("volume".into())));
    }
    Y::Map(entries)
}

/// Whether `text` written plain would read back as something else (a number, a boolean, a
/// mapping, a sexagesimal port) or not parse at all.
fn needs_quotes(text: &str) -> bool {
    if text.is_empty() || text.parse::<f64>().is_ok() {
        return true;
    }
    if !text.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'.' | b'/' | b'@' | b'-' | b'+' | b'=' | b'~' | b':'
            )
    }) {
        return true;
    }
    if text.starts_with(['-', '@', '~', ':']) || text.ends_with(':') || text.contains(": ") {
        return true;
    }
    if text.contains(':') && text.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    ["true", "false", "yes", "no", "on", "off", "null", "y", "n"]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
}

/// A scalar as YAML: plain when that reads back as the same string, else double-quoted.
#[cfg(test)]
fn scalar(text: &str) -> String {
    let mut out = String::new();
    push_scalar(&mut out, text);
    out
}

/// Writes `text` as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted.
fn push_scalar(out: &mut String, text: &str) {
    if !needs_quotes(text) {
        out.push_str(text);
        return;
    }
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn write(out: &mut String, value: &Y, indent: usize) {
    match value {
        Y::Map(entries) => {
            for (key, v) in entries {
                pad(out, indent);
                push_scalar(out, key);
                out.push(':');
                inline_or_block(out, v, indent);
            }
        }
        Y::List(items) => {
            for item in items {
                pad(out, indent);
                out.push('-');
                match item {
                    Y::Map(entries) if !entries.is_empty() => {
                        // The first key on the dash's line, the others under it.
                        let mut first = String::new();
                        write(&mut first, item, indent + 2);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    _ => inline_or_block(out, item, indent),
                }
            }
        }
        Y::Str(s) => {
            push_scalar(out, s);
            out.push('\n');
        }
        Y::Plain(s) => {
            out.push_str(s);
            out.push('\n');
        }
    }
}

fn inline_or_block(out: &mut String, v: &Y, indent: usize) {
    match v {
        Y::Map(e) if !e.is_empty() => {
            out.push('\n');
            write(out, v, indent + 2);
        }
        Y::List(items) if !items.is_empty() => {
            out.push('\n');
            write(out, v, indent + 2);
        }
        Y::Map(_) => out.push_str(" {}\n"),
        Y::List(_) => out.push_str(" []\n"),
        Y::Plain(s) if s.is_empty() => out.push('\n'),
        Y::Str(s) => {
            out.push(' ');
            push_scalar(out, s);
            out.push('\n');
        }
        Y::Plain(s) => {
            out.push(' ');
            out.push_str(s);
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::command;
    use crate::shell_words;

    fn convert(line: &str) -> Conversion {
        let words = shell_words::split_words(line).expect("splits");
        from_run(&command::explain(&words)).expect("a run line")
    }

    fn reread(c: &Conversion) -> super::super::ComposeFile {
        super::super::explain(
            &c.yaml,
            &super::super::Origin::default(),
            &super::super::Environment::default(),
        )
        .unwrap_or_else(|e| panic!("{}\n{}", e.message, c.yaml))
    }

    #[test]
    fn a_gpu_notebook_becomes_a_service_compose_reads_back() {
        let c = convert(
            "docker run -d --name lab --gpus all --shm-size 8g -p 127.0.0.1:8888:8888 -v ./work:/home/jovyan/work -v cache:/home/jovyan/.cache -e JUPYTER_TOKEN=abc --restart unless-stopped quay.io/jupyter/pytorch-notebook:cuda12-2024-05-27 start-notebook.py --IdentityProvider.token=''",
        );
        assert_eq!(c.service, "lab");
        let file = reread(&c);
        assert!(file.warnings.is_empty(), "{:?}\n{}", file.warnings, c.yaml);
        let s = &file.services[0];
        assert_eq!(
            s.image.as_ref().map(|i| i.text.as_str()),
            Some("quay.io/jupyter/pytorch-notebook:cuda12-2024-05-27")
        );
        assert_eq!(s.ports[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(s.shm_size.as_deref(), Some("8g"));
        assert_eq!(
            s.gpus.as_ref().map(|g| g.describe()),
            Some("all GPUs from the nvidia driver".into())
        );
        assert_eq!(s.volumes.len(), 2);
        assert_eq!(
            file.volumes.len(),
            1,
            "the named volume is declared:\n{}",
            c.yaml
        );
        assert_eq!(s.environment[0].name, "JUPYTER_TOKEN");
        assert!(c.yaml.contains("restart: unless-stopped"), "{}", c.yaml);
        assert!(c.yaml.contains("container_name: lab"), "{}", c.yaml);
        assert!(
            c.notes.iter().any(|n| n.starts_with("--detach")),
            "{:?}",
            c.notes
        );
    }

    #[test]
    fn networks_mounts_health_and_limits() {
        let c = convert(
            "docker run --network ml --network-alias db --mount type=bind,source=/data,target=/data,readonly --health-cmd 'pg_isready -U postgres' --stop-timeout 30 --ulimit nofile=1024:2048 --memory 4g --init -it postgres:16",
        );
        let file = reread(&c);
        assert!(file.warnings.is_empty(), "{:?}\n{}", file.warnings, c.yaml);
        let s = &file.services[0];
        assert_eq!(s.networks, ["ml"]);
        assert_eq!(file.networks[0].name, "ml");
        assert!(file.networks[0].external);
        assert!(s.volumes[0].read_only);
        assert_eq!(
            s.healthcheck
                .as_ref()
                .and_then(|h| h.test.clone())
                .as_deref(),
            Some("pg_isready -U postgres")
        );
        for expected in [
            "stop_grace_period: 30s",
            "soft: 1024",
            "mem_limit: 4g",
            "init: true",
            "tty: true",
            "stdin_open: true",
        ] {
            assert!(c.yaml.contains(expected), "{expected} in\n{}", c.yaml);
        }
    }

    #[test]
    fn gpu_requests_of_every_form() {
        for (flag, count, ids) in [
            ("all", Some("all"), vec![]),
            ("2", Some("2"), vec![]),
            ("'\"device=0,2\"'", None, vec!["0", "2"]),
        ] {
            let c = convert(&format!(
                "docker run --gpus {flag} pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"
            ));
            let file = reread(&c);
            let g = file.services[0].gpus.clone().expect("GPUs");
            let shown = match g.count {
                Some(super::super::gpus::Count::All(a)) => Some(a.to_owned()),
                Some(super::super::gpus::Count::Number(n)) => Some(n.to_string()),
                None => None,
            };
            assert_eq!(shown.as_deref(), count, "{flag}\n{}", c.yaml);
            assert_eq!(g.device_ids, ids, "{flag}\n{}", c.yaml);
        }
    }

    #[test]
    fn other_commands_are_not_converted() {
        let words = shell_words::split_words("docker build -t x .").expect("splits");
        assert!(from_run(&command::explain(&words)).is_none());
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("python:3.12"), "python:3.12");
        assert_eq!(scalar("8888:8888"), "\"8888:8888\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("8"), "\"8\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
