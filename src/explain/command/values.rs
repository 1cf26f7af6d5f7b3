//! Typed readers of option values: what `-p 127.0.0.1::80`, `--ulimit memlock=-1` or
//! `--gpus '"device=0,1"'` mean, checked by the rules Docker itself applies. A value the shell
//! would still change (`$PORT`, `$(id -u)`) is described but not checked.

use super::data::{ULIMITS, UlimitUnit};
use super::spec::Reader;
use crate::explain::{looks_secret, shorten};

/// What a value means, and what is wrong with it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reading {
    /// A reading of the value, added after the option's meaning; `None` when the meaning
    /// already says it all.
    pub detail: Option<String>,
    /// Glossary ids the value itself brings in.
    pub terms: Vec<&'static str>,
    /// What Docker would refuse or what is surely not meant.
    pub problems: Vec<String>,
}

impl Reading {
    fn detail(text: impl Into<String>) -> Reading {
        Reading {
            detail: Some(text.into()),
            ..Reading::default()
        }
    }

    fn problem(mut self, text: impl Into<String>) -> Reading {
        self.problems.push(text.into());
        self
    }

    fn term(mut self, id: &'static str) -> Reading {
        self.terms.push(id);
        self
    }
}

/// Values longer than this are cut when echoed inside a sentence.
const ECHO: usize = 80;

/// `text` cut for echoing.
pub fn shown(text: &str) -> String {
    shorten(text, ECHO)
}

/// Whether the shell would change the text before docker sees it.
pub fn expands(text: &str) -> bool {
    text.contains(['$', '`']) || text.starts_with('~')
}

/// Reads `value` with `reader`; `choices` are the option's words for the choice readers.
pub fn read(reader: Reader, value: &str, choices: &[(&str, &str)]) -> Reading {
    let unchecked = expands(value);
    let reading = match reader {
        Reader::Text
        | Reader::Name
        | Reader::Path
        | Reader::Image
        | Reader::Format
        | Reader::Filter
        | Reader::Signal => Reading::default(),
        Reader::Model => super::model::read(value),
        Reader::Integer => integer(value, false),
        Reader::IntegerOrUnlimited => integer(value, true),
        Reader::Seconds => seconds(value),
        Reader::Duration => duration(value),
        Reader::Timestamp => timestamp(value),
        Reader::Bytes => bytes(value, false),
        Reader::BytesOrUnlimited => bytes(value, true),
        Reader::Cpus => cpus(value),
        Reader::Bool => match parse_bool(value) {
            Some(true) => Reading::detail("on"),
            Some(false) => Reading::detail("off"),
            None => Reading::default().problem(format!("'{}' is not true or false", shown(value))),
        },
        Reader::KeyValue => key_value(value),
        Reader::Env => env(value),
        Reader::BuildArg => build_arg(value),
        Reader::Publish => publish(value),
        Reader::Expose => expose(value),
        Reader::Volume => volume(value),
        Reader::Mount => mount(value),
        Reader::Tmpfs => tmpfs(value),
        Reader::Gpus => gpus(value),
        Reader::Ulimit => ulimit(value),
        Reader::Restart => restart(value),
        Reader::Network => network(value),
        Reader::Namespace => namespace(value),
        Reader::Platform => platform(value),
        Reader::User => user(value),
        Reader::Device => device(value),
        Reader::HostIp => host_ip(value),
        Reader::BuildOutput => build_output(value),
        Reader::CacheSpec => cache_spec(value),
        Reader::Secret => secret(value),
        Reader::Ssh => ssh(value),
        Reader::Lines => lines(value),
        Reader::Choice => choice(value, choices),
        Reader::Choices => {
            let mut out = Reading::default();
            let mut parts = Vec::new();
            for word in value.split(',') {
                let one = choice(word, choices);
                parts.extend(one.detail);
                out.problems.extend(one.problems);
            }
            out.detail = (!parts.is_empty()).then(|| parts.join("; "));
            out
        }
    };
    if unchecked {
        // The shell fills the value in first: describe it, but do not judge what is not known yet.
        Reading {
            problems: Vec::new(),
            ..reading
        }
    } else {
        reading
    }
}

/// Go's strconv.ParseBool, which pflag uses for `--rm=false`.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

fn choice(value: &str, choices: &[(&str, &str)]) -> Reading {
    match choices.iter().find(|(word, _)| *word == value) {
        Some((word, meaning)) => Reading::detail(format!("{word}, {meaning}")),
        None => {
            let known: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
            Reading::default().problem(format!(
                "'{}' is not one of the values Docker accepts here ({})",
                shown(value),
                known.join(", ")
            ))
        }
    }
}

fn integer(value: &str, unlimited: bool) -> Reading {
    match value.parse::<i64>() {
        Ok(-1) if unlimited => Reading::detail("unlimited (-1)"),
        Ok(n) if unlimited && n < -1 => {
            Reading::default().problem(format!("{n} is below -1, the value for unlimited"))
        }
        Ok(_) => Reading::default(),
        Err(_) => Reading::default().problem(format!("'{}' is not a whole number", shown(value))),
    }
}

fn seconds(value: &str) -> Reading {
    match value.parse::<i64>() {
        Ok(n) if n < 0 => Reading::detail("wait for ever (a negative timeout)"),
        Ok(1) => Reading::detail("1 second"),
        Ok(n) => Reading::detail(format!("{n} seconds")),
        Err(_) => Reading::default().problem(format!(
            "'{}' is not a whole number of seconds (no unit is allowed here)",
            shown(value)
        )),
    }
}

/// Go's time.ParseDuration: a sequence of numbers with units, such as `1m30s`.
fn go_duration(value: &str) -> Option<f64> {
    if value == "0" {
        return Some(0.0);
    }
    let mut rest = value.strip_prefix(['-', '+']).unwrap_or(value);
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += number * scale;
        rest = &rest[unit_len..];
    }
    Some(total)
}

fn human_seconds(s: f64) -> String {
    if s >= 3600.0 && (s / 3600.0).fract() == 0.0 {
        format!("{} hour(s)", s / 3600.0)
    } else if s >= 60.0 && (s / 60.0).fract() == 0.0 {
        format!("{} minute(s)", s / 60.0)
    } else {
        format!("{s} second(s)")
    }
}

fn duration(value: &str) -> Reading {
    match go_duration(value) {
        Some(s) => Reading::detail(human_seconds(s)),
        None => Reading::default().problem(format!(
            "'{}' is not a duration: Docker wants a number with a unit, such as 30s, 5m or 1h30m",
            shown(value)
        )),
    }
}

fn timestamp(value: &str) -> Reading {
    if let Some(s) = go_duration(value) {
        return Reading::detail(format!("the last {}", human_seconds(s)));
    }
    let looks_like_date = value.len() >= 10
        && value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && value.as_bytes()[4] == b'-';
    if looks_like_date || value.parse::<f64>().is_ok() {
        Reading::default()
    } else {
        Reading::default().problem(format!(
            "'{}' is neither a timestamp (2024-01-02T13:23:37Z, or Unix seconds) nor a duration such as 42m",
            shown(value)
        ))
    }
}

/// github.com/docker/go-units RAMInBytes: a number, an optional unit b/k/m/g/t/p (powers of
/// 1024, any case, optionally followed by "b" or "ib"); a bare number is bytes.
pub fn parse_bytes(value: &str) -> Option<u64> {
    let v = value.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim_start().to_ascii_lowercase();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(&unit);
    let power = match unit {
        "" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        _ => return None,
    };
    Some((number * 1024f64.powi(power)) as u64)
}

/// `n` bytes the way a person would say it.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn bytes(value: &str, unlimited: bool) -> Reading {
    if unlimited && value == "-1" {
        return Reading::detail("unlimited (-1)");
    }
    match parse_bytes(value) {
        Some(n) => {
            let reading = Reading::detail(human_bytes(n));
            if value.bytes().all(|b| b.is_ascii_digit()) && n < 1024 * 1024 {
                reading.problem(format!(
                    "a bare number is bytes: {value} means {}; write {value}m or {value}g for megabytes or gigabytes",
                    human_bytes(n)
                ))
            } else {
                reading
            }
        }
        None => Reading::default().problem(format!(
            "'{}' is not a size: write a number with an optional unit b, k, m or g (such as 512m or 8g)",
            shown(value)
        )),
    }
}

fn cpus(value: &str) -> Reading {
    match value.parse::<f64>() {
        Ok(n) if n > 0.0 => Reading::default(),
        Ok(_) => Reading::default().problem("the number of CPUs must be above 0"),
        Err(_) => Reading::default().problem(format!("'{}' is not a number of CPUs", shown(value))),
    }
}

fn key_value(value: &str) -> Reading {
    match value.split_once('=') {
        Some((key, v)) => Reading::detail(format!("{} = '{}'", shown(key), shown(v))),
        None => Reading::detail(format!("{} (no value)", shown(value))),
    }
}

fn env(spec: &str) -> Reading {
    match spec.split_once('=') {
        Some((name, value)) => {
            let mut r = Reading::detail(format!(
                "the environment variable {} set to '{}'",
                shown(name),
                shown(value)
            ));
            if looks_secret(name) && !expands(value) {
                r = r.problem(format!(
                    "{} looks like a secret: on the command line it lands in your shell history; prefer -e {} (copied from your shell) or --env-file",
                    shown(name),
                    shown(name)
                ));
            }
            if name.is_empty() {
                r = r.problem("a variable needs a name before '='");
            }
            r
        }
        None => Reading::detail(format!(
            "the environment variable {} copied from your shell (left out if unset there)",
            shown(spec)
        )),
    }
}

fn build_arg(spec: &str) -> Reading {
    match spec.split_once('=') {
        Some((name, value)) => Reading::detail(format!(
            "{} = '{}' (ARG {} in the Dockerfile)",
            shown(name),
            shown(value),
            shown(name)
        )),
        None => Reading::detail(format!(
            "{} with its value taken from your shell's environment",
            shown(spec)
        )),
    }
}

/// A port or a range `A-B`, each 1 to 65535 (0 allowed only where `zero_ok`).
fn port_range(text: &str, zero_ok: bool) -> Result<(u32, u32), String> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let parse = |p: &str| -> Result<u32, String> {
        match p.parse::<u32>() {
            Ok(n) if n <= 65535 && (zero_ok || n > 0) => Ok(n),
            Ok(n) => Err(format!("port {n} is outside 1 to 65535")),
            Err(_) => Err(format!("'{}' is not a port number", shown(p))),
        }
    };
    let (a, b) = (parse(a)?, parse(b)?);
    if b < a {
        return Err(format!("the range {a}-{b} runs backwards"));
    }
    Ok((a, b))
}

fn protocol(spec: &str) -> (&str, Result<&'static str, String>) {
    match spec.rsplit_once('/') {
        Some((ports, proto)) => (
            ports,
            match proto.to_ascii_lowercase().as_str() {
                "tcp" => Ok("TCP"),
                "udp" => Ok("UDP"),
                "sctp" => Ok("SCTP"),
                _ => Err(format!(
                    "'{}' is not a protocol Docker knows (tcp, udp, sctp)",
                    shown(proto)
                )),
            },
        ),
        None => (spec, Ok("TCP")),
    }
}

fn publish(spec: &str) -> Reading {
    let (ports, proto) = protocol(spec);
    let mut problems = Vec::new();
    let proto = proto.unwrap_or_else(|e| {
        problems.push(e);
        "TCP"
    });
    // An IPv6 address comes in brackets: [::1]:8080:80.
    let (ip, rest) = match ports.strip_prefix('[').and_then(|p| p.split_once("]:")) {
        Some((ip, rest)) => (Some(ip), rest),
        None => (None, ports),
    };
    let fields: Vec<&str> = rest.split(':').collect();
    let (ip, host, container) = match (ip, fields.as_slice()) {
        (None, [container]) => (None, "", *container),
        (None, [host, container]) => (None, *host, *container),
        (None, [ip, host, container]) => (Some(*ip), *host, *container),
        (Some(ip), [host, container]) => (Some(ip), *host, *container),
        _ => {
            return Reading::default().problem(format!(
                "'{}' is not a port mapping: write [IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]",
                shown(spec)
            ));
        }
    };
    let unchecked = expands(spec);
    let container_range = match port_range(container, false) {
        Ok(r) => Some(r),
        Err(e) => {
            if !unchecked {
                problems.push(format!("container port: {e}"));
            }
            None
        }
    };
    let host_range = if host.is_empty() {
        None
    } else {
        match port_range(host, true) {
            Ok(r) => Some(r),
            Err(e) => {
                if !unchecked {
                    problems.push(format!("host port: {e}"));
                }
                None
            }
        }
    };
    if let (Some((ha, hb)), Some((ca, cb))) = (host_range, container_range)
        && hb - ha != cb - ca
        && hb != ha
    {
        problems.push(format!(
            "the host range {host} and the container range {container} differ in size"
        ));
    }
    let ip = ip.filter(|ip| !ip.is_empty());
    let interfaces = match ip {
        Some("127.0.0.1" | "::1" | "localhost") => {
            format!(
                " at {}, so only this machine can connect",
                ip.unwrap_or_default()
            )
        }
        Some("0.0.0.0" | "::") => " on all of the host's network interfaces".to_owned(),
        Some(ip) => format!(" at the host address {}", shown(ip)),
        None => " on all of the host's network interfaces".to_owned(),
    };
    let container = shown(container);
    let detail = if host.is_empty() || host == "0" {
        format!(
            "container port {container} ({proto}) on a random free host port{interfaces}; docker port shows which"
        )
    } else {
        format!(
            "host port {}{interfaces} forwards to container port {container} ({proto})",
            shown(host)
        )
    };
    Reading {
        detail: Some(detail),
        terms: Vec::new(),
        problems,
    }
}

fn expose(spec: &str) -> Reading {
    let (ports, proto) = protocol(spec);
    let mut r = Reading::detail(format!(
        "port {} ({}) is documented as in use; -p or -P still decide what the host sees",
        shown(ports),
        proto.as_ref().map_or("TCP", |p| p)
    ));
    if let Err(e) = proto {
        r = r.problem(e);
    }
    if let Err(e) = port_range(ports, false) {
        r = r.problem(e);
    }
    r
}

/// `C:\…` or `C:/…`: a Windows drive path, whose colon is not a field separator.
fn drive_path(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

/// Splits a `-v` specification on its colons, keeping a drive letter with its path.
fn volume_fields(spec: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut rest = spec;
    while !rest.is_empty() {
        let skip = if drive_path(rest) { 2 } else { 0 };
        match rest[skip..].find(':') {
            Some(i) => {
                fields.push(&rest[..skip + i]);
                rest = &rest[skip + i + 1..];
                if rest.is_empty() {
                    fields.push("");
                }
            }
            None => {
                fields.push(rest);
                rest = "";
            }
        }
    }
    if spec.is_empty() {
        fields.push("");
    }
    fields
}

/// Whether a `-v` source is a path on the host (a bind mount) rather than a volume name.
pub fn is_host_path(source: &str) -> bool {
    source.starts_with(['/', '.', '~', '$', '`', '\\'])
        || source.contains('/')
        || drive_path(source)
}

fn mount_modes(modes: &str) -> (String, Vec<String>) {
    let mut said = Vec::new();
    let mut problems = Vec::new();
    for flag in modes.split(',') {
        said.push(match flag {
            "ro" | "readonly" => "read-only".to_owned(),
            "rw" => "read-write".to_owned(),
            "z" => "relabelled for SELinux, shared between containers".to_owned(),
            "Z" => "relabelled for SELinux, private to this container".to_owned(),
            "nocopy" => "without copying the image's files into a new volume".to_owned(),
            "cached" | "delegated" | "consistent" => {
                format!("{flag} (an old macOS hint, ignored today)")
            }
            "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" => {
                format!("mount propagation {flag}")
            }
            other => {
                problems.push(format!(
                    "'{}' is not a volume option Docker knows",
                    shown(other)
                ));
                format!("option '{}'", shown(other))
            }
        });
    }
    (said.join(", "), problems)
}

fn volume(spec: &str) -> Reading {
    let fields = volume_fields(spec);
    match fields.as_slice() {
        [target] => {
            let r = Reading::detail(format!(
                "a new anonymous volume at {} in the container; it gets a random name",
                shown(target)
            ))
            .term("anonymous-volume");
            if !target.starts_with('/') && !expands(target) && !drive_path(target) {
                r.problem(format!(
                    "'{}' alone is read as a path inside the container, and it must be absolute (start with /)",
                    shown(target)
                ))
            } else {
                r
            }
        }
        [source, target, rest @ ..] => {
            let (how, mut problems) = if rest.is_empty() {
                (String::new(), Vec::new())
            } else {
                let (said, problems) = mount_modes(&rest.join(":"));
                (format!(", {said}"), problems)
            };
            if source.is_empty() {
                problems.push(
                    "the source before ':' is empty; Docker refuses this (invalid volume specification)"
                        .to_owned(),
                );
            }
            if target.is_empty() {
                problems.push("the path in the container after ':' is empty".to_owned());
            } else if !target.starts_with('/') && !drive_path(target) && !expands(target) {
                problems.push(format!(
                    "the path in the container, '{}', must be absolute (start with /)",
                    shown(target)
                ));
            }
            if rest.len() > 1 {
                problems.push("too many ':' separated fields".to_owned());
            }
            let (detail, term) = if source.is_empty() {
                (format!("an empty source at {}", shown(target)), "volume")
            } else if is_host_path(source) {
                let windows = if drive_path(source) {
                    " (a Windows path)"
                } else {
                    ""
                };
                (
                    format!(
                        "bind-mount the host folder {}{windows} at {} in the container{how}: both see the same files",
                        shown(source),
                        shown(target)
                    ),
                    "bind-mount",
                )
            } else {
                (
                    format!(
                        "the named volume '{}' at {} in the container{how}; its data outlives the container",
                        shown(source),
                        shown(target)
                    ),
                    "volume",
                )
            };
            Reading {
                detail: Some(detail),
                terms: vec![term],
                problems,
            }
        }
        [] => Reading::default().problem("an empty volume specification"),
    }
}

/// Splits `a,b,"c,d"` the way Go's encoding/csv reads one record.
fn csv_fields(text: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            '"' => return Err("a quote in the middle of a field".to_owned()),
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
            }
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        return Err("an unterminated quote".to_owned());
    }
    fields.push(field);
    Ok(fields)
}

fn mount(spec: &str) -> Reading {
    let fields = match csv_fields(spec) {
        Ok(f) => f,
        Err(e) => return Reading::default().problem(format!("the mount cannot be read: {e}")),
    };
    let mut kind = "volume";
    let (mut source, mut target, mut readonly) = (None, None, false);
    let mut problems = Vec::new();
    for field in &fields {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        match key.to_ascii_lowercase().as_str() {
            "type" => match value {
                "bind" | "volume" | "tmpfs" | "image" | "npipe" | "cluster" => {
                    kind = match value {
                        "bind" => "bind",
                        "tmpfs" => "tmpfs",
                        "image" => "image",
                        _ => "volume",
                    }
                }
                other => problems.push(format!("'{}' is not a mount type", shown(other))),
            },
            "source" | "src" => source = Some(value.to_owned()),
            "target" | "destination" | "dst" => target = Some(value.to_owned()),
            "readonly" | "ro" => {
                readonly = value.is_empty() || parse_bool(value) == Some(true);
            }
            "bind-propagation" | "bind-nonrecursive" | "bind-recursive" | "bind-create-src"
            | "consistency" | "volume-driver" | "volume-opt" | "volume-nocopy"
            | "volume-subpath" | "volume-label" | "tmpfs-size" | "tmpfs-mode" | "tmpfs-options"
            | "image-subpath" => {}
            other => problems.push(format!(
                "'{}' is not a mount option Docker knows",
                shown(other)
            )),
        }
    }
    let ro = if readonly { ", read-only" } else { "" };
    let Some(target) = target.filter(|t| !t.is_empty()) else {
        problems.push("no target: a mount needs target=PATH in the container".to_owned());
        return Reading {
            detail: None,
            terms: Vec::new(),
            problems,
        };
    };
    let target = shown(&target);
    let (detail, term) = match (kind, source.filter(|s| !s.is_empty())) {
        ("bind", Some(source)) => (
            format!(
                "bind-mount the host path {} at {target}{ro}",
                shown(&source)
            ),
            "bind-mount",
        ),
        ("bind", None) => {
            problems.push("a bind mount needs source=PATH on the host".to_owned());
            (format!("a bind mount at {target}"), "bind-mount")
        }
        ("tmpfs", _) => (format!("a RAM-backed tmpfs at {target}"), "tmpfs-mount"),
        ("image", Some(source)) => (
            format!("the files of the image {} at {target}{ro}", shown(&source)),
            "image",
        ),
        (_, Some(source)) => (
            format!("the named volume '{}' at {target}{ro}", shown(&source)),
            "volume",
        ),
        _ => (
            format!("a new anonymous volume at {target}{ro}"),
            "anonymous-volume",
        ),
    };
    Reading {
        detail: Some(detail),
        terms: vec![term],
        problems,
    }
}

fn tmpfs(spec: &str) -> Reading {
    let (path, options) = spec.split_once(':').unwrap_or((spec, ""));
    let mut detail = format!("a RAM-backed tmpfs at {}", shown(path));
    if let Some(size) = options.split(',').find_map(|o| o.strip_prefix("size=")) {
        match parse_bytes(size) {
            Some(n) => detail.push_str(&format!(" of at most {}", human_bytes(n))),
            None => detail.push_str(&format!(" of size '{}'", shown(size))),
        }
    }
    let r = Reading::detail(detail);
    if !path.starts_with('/') && !expands(path) {
        r.problem("the tmpfs path must be absolute (start with /)")
    } else {
        r
    }
}

/// `--gpus`, read as docker/cli opts/gpus.go reads it, plus the engine's rule that a request
/// cannot name both a count and devices.
fn gpus(spec: &str) -> Reading {
    let fields = match csv_fields(spec) {
        Ok(f) => f,
        Err(e) => {
            return Reading::default().problem(format!("the GPU request cannot be read: {e}"));
        }
    };
    let mut count: Option<String> = None;
    let mut devices: Option<String> = None;
    let mut extra = Vec::new();
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for field in &fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => ("count", Some(field.as_str())),
        };
        if seen.contains(&key) {
            problems.push(format!("'{key}' is given twice; Docker refuses that"));
        }
        seen.push(key);
        match (key, value) {
            ("count", Some(v)) => {
                if v != "all" && v.parse::<i64>().is_err() {
                    problems.push(format!(
                        "'{}' is not a GPU count: write all or a number",
                        shown(v)
                    ));
                }
                count = Some(v.to_owned());
            }
            ("device", Some(v)) => devices = Some(v.to_owned()),
            ("driver", Some(v)) => extra.push(format!("driver {}", shown(v))),
            ("capabilities", Some(v)) => extra.push(format!("capabilities {}", shown(v))),
            ("options", Some(v)) => extra.push(format!("options {}", shown(v))),
            (other, _) => {
                problems.push(format!("'{}' is not a key Docker knows here", shown(other)))
            }
        }
    }
    let detail = match (&count, &devices) {
        (Some(c), Some(d)) => {
            problems.push(format!(
                "Docker reads this as device={d} plus a count of {c} and refuses it (cannot set both Count and DeviceIDs). Without inner quotes the comma splits the list: write --gpus '\"device={d},{c}\"'",
            ));
            format!("the GPU(s) {d} and a count of {c}, which Docker refuses")
        }
        (_, Some(d)) => format!("only the GPU(s) {}, by index or UUID", shown(d)),
        (Some(c), None) if c == "all" => "every GPU of the host".to_owned(),
        (Some(c), None) => format!("{} of the host's GPUs", shown(c)),
        (None, None) => "one GPU".to_owned(),
    };
    let detail = if extra.is_empty() {
        detail
    } else {
        format!("{detail} ({})", extra.join(", "))
    };
    Reading {
        detail: Some(detail),
        terms: Vec::new(),
        problems,
    }
}

fn ulimit(spec: &str) -> Reading {
    let Some((name, limits)) = spec.split_once('=') else {
        return Reading::default().problem(format!(
            "'{}' is not a limit: write NAME=SOFT[:HARD], such as nofile=65536:65536",
            shown(spec)
        ));
    };
    let Some(known) = ULIMITS.iter().find(|u| u.name() == name) else {
        let names: Vec<&str> = ULIMITS.iter().map(|u| u.name()).collect();
        return Reading::default().problem(format!(
            "'{}' is not a limit Docker knows ({})",
            shown(name),
            names.join(", ")
        ));
    };
    let (soft, hard) = limits.split_once(':').unwrap_or((limits, limits));
    let say = |n: &str| -> Result<String, String> {
        match n.parse::<i64>() {
            Ok(-1) => Ok("unlimited".to_owned()),
            Ok(v) if v < 0 => Err(format!("{v} is negative; only -1 (unlimited) is")),
            Ok(v) => Ok(match known.unit {
                UlimitUnit::Bytes => human_bytes(v as u64),
                UlimitUnit::Seconds => format!("{v} seconds"),
                UlimitUnit::Count => v.to_string(),
            }),
            Err(_) => Err(format!("'{}' is not a whole number", shown(n))),
        }
    };
    let mut problems = Vec::new();
    let (s, h) = match (say(soft), say(hard)) {
        (Ok(s), Ok(h)) => (s, h),
        (s, h) => {
            problems.extend(s.err());
            problems.extend(h.err());
            return Reading {
                detail: None,
                terms: Vec::new(),
                problems,
            };
        }
    };
    if let (Ok(sv), Ok(hv)) = (soft.parse::<i64>(), hard.parse::<i64>())
        && hv != -1
        && (sv == -1 || sv > hv)
    {
        problems.push("the soft limit is above the hard limit; Docker refuses that".to_owned());
    }
    let at_most = |v: &str| {
        if v == "unlimited" {
            v.to_owned()
        } else {
            format!("at most {v}")
        }
    };
    let detail = if s == h {
        format!("{name}, the {}: {}", known.meaning(), at_most(&s))
    } else {
        format!(
            "{name}, the {}: {} (soft limit; a process may raise it to {})",
            known.meaning(),
            at_most(&s),
            h
        )
    };
    Reading {
        detail: Some(detail),
        terms: Vec::new(),
        problems,
    }
}

fn restart(policy: &str) -> Reading {
    let (name, count) = match policy.split_once(':') {
        Some((n, c)) => (n, Some(c)),
        None => (policy, None),
    };
    let mut r = match name {
        "no" => Reading::detail("never (the default)"),
        "always" => Reading::detail(
            "always when it stops, and when the Docker daemon starts (a docker stop holds until the daemon restarts)",
        ),
        "unless-stopped" => Reading::detail("whenever it stops, unless you stopped it yourself"),
        "on-failure" => match count {
            Some(n) => Reading::detail(format!(
                "when it exits with an error, at most {} time(s)",
                shown(n)
            )),
            None => Reading::detail("whenever it exits with an error"),
        },
        "" => Reading::default().problem("no policy before ':'"),
        other => Reading::default().problem(format!(
            "'{}' is not a restart policy (no, always, unless-stopped, on-failure[:N])",
            shown(other)
        )),
    };
    if let Some(n) = count {
        match n.parse::<i64>() {
            Ok(v) if v < 0 => r = r.problem("the retry count cannot be negative"),
            Ok(_) if name != "on-failure" && !name.is_empty() => {
                r = r.problem(format!(
                    "a retry count works only with on-failure; Docker refuses {name}:{n}"
                ));
            }
            Ok(_) => {}
            Err(_) => r = r.problem("the retry count must be a whole number"),
        }
    }
    r
}

fn network(mode: &str) -> Reading {
    match mode {
        "host" => Reading::detail(
            "the host's own network: no isolation, the container's ports are the host's, and -p is ignored",
        )
        .term("host-network"),
        "bridge" | "default" => Reading::detail(
            "the default bridge network, where containers cannot find each other by name",
        )
        .term("bridge-network"),
        "none" => Reading::detail("no network at all, only loopback"),
        other => match other.strip_prefix("container:") {
            Some(c) => Reading::detail(format!(
                "the network of the container {}, sharing its addresses and ports",
                shown(c)
            ))
            .term("namespace"),
            None => Reading::detail(format!(
                "the network '{}', where containers reach each other by name",
                shown(other)
            ))
            .term("container-dns"),
        },
    }
}

fn namespace(mode: &str) -> Reading {
    match mode {
        "host" => Reading::detail("shared with the host: no isolation for it"),
        "private" => Reading::detail("a namespace of its own"),
        "shareable" => Reading::detail("its own, and other containers may join it"),
        "none" => Reading::detail("its own, with nothing set up in it"),
        "" => Reading::detail("the daemon's default"),
        other => match other.strip_prefix("container:") {
            Some(c) => Reading::detail(format!("shared with the container {}", shown(c))),
            None => Reading::default().problem(format!(
                "'{}' is not a namespace mode (host, private, container:NAME…)",
                shown(other)
            )),
        },
    }
}

fn platform(value: &str) -> Reading {
    let mut problems = Vec::new();
    for p in value.split(',') {
        let parts: Vec<&str> = p.split('/').collect();
        if !(1..=3).contains(&parts.len()) || parts.iter().any(|s| s.is_empty()) {
            problems.push(format!(
                "'{}' is not a platform: write os/arch[/variant], such as linux/amd64",
                shown(p)
            ));
        }
    }
    Reading {
        detail: None,
        terms: Vec::new(),
        problems,
    }
}

fn user(value: &str) -> Reading {
    let (u, g) = match value.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (value, None),
    };
    let who = |s: &str| {
        if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
            format!("the numeric ID {s}")
        } else {
            format!("'{}'", shown(s))
        }
    };
    match g {
        Some(g) => Reading::detail(format!("the user {} in the group {}", who(u), who(g))),
        None => Reading::detail(format!("the user {}", who(u))),
    }
}

fn device(value: &str) -> Reading {
    let fields: Vec<&str> = value.split(':').collect();
    let detail = match fields.as_slice() {
        [host] => format!("the host device {} at the same path", shown(host)),
        [host, perms] if perms.chars().all(|c| "rwm".contains(c)) => {
            format!("the host device {} with access {perms}", shown(host))
        }
        [host, inside] => format!("the host device {} as {}", shown(host), shown(inside)),
        [host, inside, perms, ..] => format!(
            "the host device {} as {}, access {}",
            shown(host),
            shown(inside),
            shown(perms)
        ),
        [] => String::new(),
    };
    Reading::detail(detail)
}

fn host_ip(value: &str) -> Reading {
    let split = value.split_once('=').or_else(|| value.split_once(':'));
    match split {
        Some((host, "host-gateway")) => Reading::detail(format!(
            "{} resolves to the host itself, so the container can reach services running on your machine",
            shown(host)
        )),
        Some((host, ip)) => Reading::detail(format!("{} resolves to {}", shown(host), shown(ip))),
        None => {
            Reading::default().problem(format!("'{}' is not HOST:IP (or HOST=IP)", shown(value)))
        }
    }
}

fn fields_of(value: &str) -> Vec<(&str, &str)> {
    value
        .split(',')
        .map(|f| f.split_once('=').unwrap_or((f, "")))
        .collect()
}

fn build_output(value: &str) -> Reading {
    if value == "-" {
        return Reading::detail("a tar archive on standard output");
    }
    if !value.contains('=') {
        return Reading::detail(format!(
            "the files of the result, into the folder {}",
            shown(value)
        ));
    }
    let fields = fields_of(value);
    let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let dest = get("dest")
        .map(|d| format!(" at {}", shown(d)))
        .unwrap_or_default();
    match get("type") {
        Some("docker") => Reading::detail(format!(
            "the local image store (loaded for docker run){dest}"
        )),
        Some("image") => Reading::detail("an image in the builder's image store"),
        Some("registry") => Reading::detail("pushed straight to the registry"),
        Some("local") => Reading::detail(format!("the result's files, into a folder{dest}")),
        Some("tar") => Reading::detail(format!("the result's files as a tar archive{dest}")),
        Some("oci") => Reading::detail(format!("an OCI image archive{dest}")),
        Some("cacheonly") => Reading::detail("nowhere: only the build cache is kept"),
        Some(other) => Reading::default().problem(format!(
            "'{}' is not an output type (docker, image, registry, local, tar, oci, cacheonly)",
            shown(other)
        )),
        None => Reading::default().problem("an output needs type=…"),
    }
}

fn cache_spec(value: &str) -> Reading {
    if !value.contains('=') {
        return Reading::detail(format!("the image {} in its registry", shown(value)));
    }
    let fields = fields_of(value);
    let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    match get("type") {
        Some("registry") => Reading::detail(format!(
            "the registry image {}",
            shown(get("ref").unwrap_or("(no ref given)"))
        )),
        Some("local") => Reading::detail(format!(
            "the local folder {}",
            shown(get("src").or(get("dest")).unwrap_or("(no folder given)"))
        )),
        Some("inline") => Reading::detail("inside the pushed image itself"),
        Some("gha") => Reading::detail("the GitHub Actions cache"),
        Some("s3") => Reading::detail("an S3 bucket"),
        Some("azblob") => Reading::detail("Azure Blob Storage"),
        Some(other) => Reading::default().problem(format!(
            "'{}' is not a cache type (registry, local, inline, gha, s3, azblob)",
            shown(other)
        )),
        None => Reading::default().problem("a cache needs type=… or an image reference"),
    }
}

fn secret(value: &str) -> Reading {
    let fields = fields_of(value);
    let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let id = get("id").unwrap_or("(no id)");
    let from = match (get("src").or(get("source")), get("env")) {
        (Some(src), _) => format!("from the file {}", shown(src)),
        (None, Some(env)) => format!("from the environment variable {}", shown(env)),
        (None, None) => format!("from the environment variable or file named {}", shown(id)),
    };
    Reading::detail(format!("the secret '{}', {from}", shown(id)))
}

fn ssh(value: &str) -> Reading {
    if value == "default" {
        Reading::detail("your default SSH agent ($SSH_AUTH_SOCK)")
    } else {
        Reading::detail(format!("the SSH agent or keys {}", shown(value)))
    }
}

fn lines(value: &str) -> Reading {
    if value == "all" {
        return Reading::detail("all of them");
    }
    match value.parse::<i64>() {
        Ok(n) if n < 0 => Reading::detail("all of them (a negative number)"),
        Ok(n) => Reading::detail(format!("the last {n} line(s)")),
        Err(_) => Reading::default().problem(format!(
            "'{}' is not a number of lines (or all)",
            shown(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(reader: Reader, value: &str) -> String {
        read(reader, value, &[]).detail.unwrap_or_default()
    }

    fn problems(reader: Reader, value: &str) -> Vec<String> {
        read(reader, value, &[]).problems
    }

    #[test]
    fn sizes_are_powers_of_1024_and_a_bare_number_is_bytes() {
        assert_eq!(parse_bytes("8g"), Some(8 << 30));
        assert_eq!(parse_bytes("512M"), Some(512 << 20));
        assert_eq!(parse_bytes("64MB"), Some(64 << 20));
        assert_eq!(parse_bytes("1.5GiB"), Some(3 << 29));
        assert_eq!(parse_bytes("64"), Some(64));
        assert_eq!(parse_bytes("10x"), None);
        assert_eq!(detail(Reader::Bytes, "8g"), "8 GiB");
        let p = problems(Reader::Bytes, "64");
        assert!(p[0].contains("64 bytes"), "{p:?}");
        assert!(problems(Reader::Bytes, "16g").is_empty());
        assert!(!problems(Reader::Bytes, "lots").is_empty());
        assert_eq!(detail(Reader::BytesOrUnlimited, "-1"), "unlimited (-1)");
        assert!(!problems(Reader::Bytes, "-1").is_empty());
    }

    #[test]
    fn ports_read_ranges_ips_and_reject_what_docker_rejects() {
        let d = detail(Reader::Publish, "127.0.0.1::80");
        assert!(
            d.contains("random free host port") && d.contains("127.0.0.1"),
            "{d}"
        );
        let d = detail(Reader::Publish, "8000-8010:8000-8010/udp");
        assert!(d.contains("8000-8010") && d.contains("UDP"), "{d}");
        let d = detail(Reader::Publish, "[::1]:8080:80");
        assert!(d.contains("only this machine"), "{d}");
        assert!(!problems(Reader::Publish, "99999:80").is_empty());
        assert!(!problems(Reader::Publish, "80:0").is_empty());
        assert!(!problems(Reader::Publish, "8000-8002:80-81").is_empty());
        assert!(!problems(Reader::Publish, "80/xyz").is_empty());
        assert!(problems(Reader::Publish, "$PORT:80").is_empty());
        assert!(problems(Reader::Publish, "8888:8888").is_empty());
        assert!(!problems(Reader::Expose, "70000").is_empty());
        assert!(problems(Reader::Expose, "8000-8010/tcp").is_empty());
    }

    #[test]
    fn volumes_tell_bind_mounts_named_and_anonymous_volumes_apart() {
        assert!(
            detail(Reader::Volume, "hf-cache:/root/.cache").contains("named volume 'hf-cache'")
        );
        assert!(detail(Reader::Volume, "./data:/data:ro").contains("read-only"));
        assert!(detail(Reader::Volume, "/scratch").contains("anonymous"));
        let r = read(Reader::Volume, r"C:\Users\me\proj:/app", &[]);
        assert!(
            r.detail
                .as_deref()
                .unwrap_or("")
                .contains(r"C:\Users\me\proj (a Windows path)"),
            "{r:?}"
        );
        assert!(r.problems.is_empty(), "{r:?}");
        assert!(!problems(Reader::Volume, ":/x").is_empty());
        assert!(!problems(Reader::Volume, "data:relative").is_empty());
        assert!(!problems(Reader::Volume, "a:/b:bogus").is_empty());
        assert!(problems(Reader::Volume, "`pwd`:/app").is_empty());
    }

    #[test]
    fn mounts_need_a_target_and_known_keys() {
        assert!(
            detail(Reader::Mount, "type=bind,source=/data,target=/d,readonly")
                .contains("read-only")
        );
        assert!(detail(Reader::Mount, "type=tmpfs,target=/t").contains("tmpfs"));
        assert!(!problems(Reader::Mount, "type=bind,source=/x").is_empty());
        assert!(!problems(Reader::Mount, "type=bind,target=/x").is_empty());
        assert!(!problems(Reader::Mount, "type=nfs,target=/x").is_empty());
        assert!(!problems(Reader::Mount, "target=/x,colour=red").is_empty());
    }

    #[test]
    fn gpus_follow_dockers_rules() {
        assert_eq!(detail(Reader::Gpus, "all"), "every GPU of the host");
        assert_eq!(detail(Reader::Gpus, "2"), "2 of the host's GPUs");
        assert!(detail(Reader::Gpus, "\"device=0,1\"").contains("GPU(s) 0,1"));
        let p = problems(Reader::Gpus, "device=0,1");
        assert!(
            p[0].contains("cannot set both Count and DeviceIDs"),
            "{p:?}"
        );
        assert!(!problems(Reader::Gpus, "count=all,count=1").is_empty());
        assert!(!problems(Reader::Gpus, "colour=red").is_empty());
        assert!(!problems(Reader::Gpus, "many").is_empty());
        assert!(detail(Reader::Gpus, "device=GPU-3a23c669").contains("GPU-3a23c669"));
    }

    #[test]
    fn ulimits_read_names_units_and_unlimited() {
        let d = detail(Reader::Ulimit, "memlock=-1");
        assert!(d.contains("memlock") && d.contains("unlimited"), "{d}");
        assert!(detail(Reader::Ulimit, "stack=67108864").contains("64 MiB"));
        let d = detail(Reader::Ulimit, "nofile=1024:65536");
        assert!(d.contains("1024") && d.contains("65536"), "{d}");
        assert!(!problems(Reader::Ulimit, "nofile=65536:1024").is_empty());
        assert!(!problems(Reader::Ulimit, "files=10").is_empty());
        assert!(!problems(Reader::Ulimit, "nofile").is_empty());
        assert!(!problems(Reader::Ulimit, "nofile=lots").is_empty());
    }

    #[test]
    fn restart_policies_and_retries() {
        assert!(detail(Reader::Restart, "on-failure:3").contains("at most 3"));
        assert!(detail(Reader::Restart, "unless-stopped").contains("unless you stopped"));
        assert!(!problems(Reader::Restart, "always:3").is_empty());
        assert!(!problems(Reader::Restart, "on-failure:-1").is_empty());
        assert!(!problems(Reader::Restart, "on-failure:x").is_empty());
        assert!(!problems(Reader::Restart, "sometimes").is_empty());
        assert!(problems(Reader::Restart, "no").is_empty());
    }

    #[test]
    fn choices_name_the_accepted_words() {
        let choices = [("always", "pull every time"), ("never", "never pull")];
        assert_eq!(
            read(Reader::Choice, "never", &choices).detail.as_deref(),
            Some("never, never pull")
        );
        let p = read(Reader::Choice, "sometimes", &choices).problems;
        assert!(p[0].contains("always, never"), "{p:?}");
        let r = read(Reader::Choices, "always,never", &choices);
        assert!(r.detail.unwrap_or_default().contains("; never"));
    }

    #[test]
    fn numbers_durations_and_times() {
        assert!(problems(Reader::Integer, "12").is_empty());
        assert!(!problems(Reader::Integer, "12k").is_empty());
        assert_eq!(detail(Reader::IntegerOrUnlimited, "-1"), "unlimited (-1)");
        assert_eq!(detail(Reader::Seconds, "30"), "30 seconds");
        assert!(!problems(Reader::Seconds, "30s").is_empty());
        assert_eq!(detail(Reader::Duration, "1m30s"), "90 second(s)");
        assert_eq!(detail(Reader::Duration, "2h"), "2 hour(s)");
        assert!(!problems(Reader::Duration, "30").is_empty());
        assert_eq!(detail(Reader::Timestamp, "42m"), "the last 42 minute(s)");
        assert!(problems(Reader::Timestamp, "2024-01-02T13:23:37Z").is_empty());
        assert!(!problems(Reader::Timestamp, "yesterday").is_empty());
        assert_eq!(detail(Reader::Lines, "100"), "the last 100 line(s)");
        assert!(!problems(Reader::Lines, "many").is_empty());
        assert!(problems(Reader::Cpus, "1.5").is_empty());
        assert!(!problems(Reader::Cpus, "0").is_empty());
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }

    #[test]
    fn environment_and_build_arguments() {
        assert!(detail(Reader::Env, "A=b").contains("A set to 'b'"));
        assert!(detail(Reader::Env, "HF_HOME").contains("copied from your shell"));
        assert!(!problems(Reader::Env, "HF_TOKEN=hf_abc").is_empty());
        assert!(problems(Reader::Env, "HF_TOKEN=$HF_TOKEN").is_empty());
        assert!(detail(Reader::BuildArg, "PY=3.12").contains("ARG PY"));
        assert!(detail(Reader::KeyValue, "a=b").contains("a = 'b'"));
    }

    #[test]
    fn the_other_readers_say_what_the_value_is() {
        assert!(detail(Reader::Network, "host").contains("-p is ignored"));
        assert!(detail(Reader::Network, "container:db").contains("db"));
        assert!(detail(Reader::Namespace, "host").contains("host"));
        assert!(!problems(Reader::Namespace, "weird").is_empty());
        assert!(!problems(Reader::Platform, "amd64/").is_empty());
        assert!(problems(Reader::Platform, "linux/amd64,linux/arm64/v8").is_empty());
        assert!(detail(Reader::User, "1000:1000").contains("numeric ID 1000"));
        assert!(detail(Reader::Device, "/dev/fuse").contains("/dev/fuse"));
        assert!(
            detail(Reader::HostIp, "host.docker.internal:host-gateway").contains("host itself")
        );
        assert!(!problems(Reader::HostIp, "justaname").is_empty());
        assert!(detail(Reader::BuildOutput, "type=docker").contains("local image store"));
        assert!(detail(Reader::BuildOutput, "./out").contains("./out"));
        assert!(!problems(Reader::BuildOutput, "type=zip").is_empty());
        assert!(detail(Reader::CacheSpec, "type=gha").contains("GitHub"));
        assert!(detail(Reader::CacheSpec, "me/app:cache").contains("me/app:cache"));
        assert!(detail(Reader::Secret, "id=hf,env=HF_TOKEN").contains("HF_TOKEN"));
        assert!(detail(Reader::Ssh, "default").contains("SSH agent"));
        assert!(detail(Reader::Tmpfs, "/tmp:size=1g").contains("1 GiB"));
        assert!(!problems(Reader::Tmpfs, "tmp").is_empty());
    }
}
