//! One definition merged over another, by the Compose Specification's merge rules (13-merge.md,
//! and the `extends` section of 05-services.md) as compose-go's `override` package applies them:
//! mappings merged key by key, sequences appended, `command`, `entrypoint` and
//! `healthcheck.test` replaced whole, `environment`, labels and a few others turned into
//! `NAME=value` lists first, `depends_on` and `networks` into mappings, `!reset` removing and
//! `!override` replacing a value; then, in lists whose entries must be unique (ports by address,
//! ports and protocol in either syntax, volumes by target, environment by name…), a later entry
//! replaces an earlier one.
//! Used for `extends`, for the files of one `include` entry and for a service both included and
//! defined.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::parse::{FileId, Key, Node, Value, is_reset};
use super::volumes;

/// A merge Compose refuses: a mapping or a list overridden by a value of another kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The file of the overriding value.
    pub file: FileId,
    /// Its line.
    pub line: usize,
    /// The attribute, as a dotted path (`services.web.ports`).
    pub path: String,
}

/// How an attribute merges when both definitions set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The overriding value replaces the other whole.
    Replace,
    /// Both are turned into lists (a mapping into sorted `NAME=value` items), then appended.
    Sequence,
    /// `build`: a string is `{context: …}`; then merged as mappings.
    Build,
    /// `depends_on`: a list of names is a mapping with the default condition; then merged.
    DependsOn,
    /// `networks`, `models`: a list of names is a mapping of names to null; then merged.
    Names,
    /// `extra_hosts`: appended, leaving out entries the first already has.
    ExtraHosts,
    /// `logging`: merged when both name the same driver (or one names none), else replaced.
    Logging,
    /// Mappings merged, lists appended, anything else replaced.
    Default,
}

/// The rule for an attribute, by its path from the top of the file (compose-go's
/// `mergeSpecials`).
fn rule(path: &[String]) -> Rule {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["networks" | "volumes", _, "labels"] => Rule::Sequence,
        ["services", _, rest @ ..] => match rest {
            [
                "annotations" | "dns" | "dns_opt" | "dns_search" | "env_file" | "label_file"
                | "environment" | "labels" | "sysctls" | "tmpfs",
            ] => Rule::Sequence,
            ["build"] => Rule::Build,
            ["build", "args" | "additional_contexts" | "labels"] | ["deploy", "labels"] => {
                Rule::Sequence
            }
            ["volumes", _, "volume", "labels"] => Rule::Sequence,
            ["build", "extra_hosts"] | ["extra_hosts"] => Rule::ExtraHosts,
            ["command" | "entrypoint"] | ["healthcheck", "test"] | ["ulimits", _] => Rule::Replace,
            ["depends_on"] => Rule::DependsOn,
            ["networks" | "models"] => Rule::Names,
            ["logging"] => Rule::Logging,
            _ => Rule::Default,
        },
        _ => Rule::Default,
    }
}

/// Merges `over` onto `base`; `path` is where they stand (`["services", "web"]` for a service).
/// What Compose would refuse is added to `refused`, and the overriding value kept.
pub fn merge<'t>(
    base: Node<'t>,
    over: Node<'t>,
    path: &mut Vec<String>,
    refused: &mut Vec<Refused>,
) -> Node<'t> {
    if over.tag.as_deref() == Some("override") {
        return over;
    }
    match rule(path) {
        Rule::Replace => return over,
        Rule::Sequence => {
            let (line, file) = (over.line, over.file);
            let mut items = sequence(base);
            items.extend(sequence(over));
            return node(Value::Seq(items), line, file);
        }
        Rule::ExtraHosts => {
            let (line, file) = (over.line, over.file);
            let mut items = sequence(base);
            // compose-go compares each new entry with every old one; a set of the old texts
            // gives the same result in linear time. An entry that is not text is kept.
            let extra: Vec<Node> = {
                let known: HashSet<&str> = items.iter().filter_map(Node::text).collect();
                sequence(over)
                    .into_iter()
                    .filter(|o| o.text().is_none_or(|t| !known.contains(t)))
                    .collect()
            };
            items.extend(extra);
            return node(Value::Seq(items), line, file);
        }
        Rule::Build => {
            let as_mapping = |n: Node<'t>| -> Node<'t> {
                match n.value {
                    Value::String(_) => {
                        let (line, file) = (n.line, n.file);
                        let context = Key {
                            name: Cow::Borrowed("context"),
                            line,
                            file,
                        };
                        node(Value::Map(vec![(context, n)]), line, file)
                    }
                    _ => n,
                }
            };
            return mappings(as_mapping(base), as_mapping(over), path, refused);
        }
        Rule::DependsOn => {
            return mappings(
                names_mapping(base, true),
                names_mapping(over, true),
                path,
                refused,
            );
        }
        Rule::Names => {
            return mappings(
                names_mapping(base, false),
                names_mapping(over, false),
                path,
                refused,
            );
        }
        Rule::Logging => {
            let driver = |n: &Node| n.get("driver").and_then(Node::text).map(str::to_owned);
            let (b, o) = (driver(&base), driver(&over));
            if b.is_some() && o.is_some() && b != o {
                return over;
            }
        }
        Rule::Default => {}
    }
    if over.is_null() {
        return base;
    }
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => mappings(base, over, path, refused),
        (Value::Seq(_), Value::Seq(_)) => {
            let (line, file, tag) = (over.line, over.file, over.tag);
            let (Value::Seq(mut items), Value::Seq(more)) = (base.value, over.value) else {
                return node(Value::Null, line, file);
            };
            items.extend(more);
            Node {
                value: Value::Seq(items),
                line,
                tag,
                file,
            }
        }
        (Value::Map(_) | Value::Seq(_), _) => {
            refused.push(Refused {
                file: over.file,
                line: over.line,
                path: path.join("."),
            });
            over
        }
        _ => over,
    }
}

fn node(value: Value<'_>, line: usize, file: FileId) -> Node<'_> {
    Node {
        value,
        line,
        tag: None,
        file,
    }
}

/// Merges two mappings key by key: keys only in `over` are added after those of `base`, a key
/// in both takes `over`'s key (its line) and the merge of both values, and a key whose value in
/// `over` is tagged `!reset` is removed. Anything that is not a mapping counts as empty.
fn mappings<'t>(
    base: Node<'t>,
    over: Node<'t>,
    path: &mut Vec<String>,
    refused: &mut Vec<Refused>,
) -> Node<'t> {
    let (line, file, tag) = (over.line, over.file, over.tag);
    let mut out = match base.value {
        Value::Map(entries) => entries,
        _ => Vec::new(),
    };
    let Value::Map(more) = over.value else {
        return node(Value::Map(out), line, file);
    };
    let mut index: HashMap<Cow<'t, str>, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.name.clone(), i))
        .collect();
    let mut removed = vec![false; out.len()];
    for (key, value) in more {
        let at = index.get(&key.name).copied();
        if is_reset(&value) {
            if let Some(i) = at {
                removed[i] = true;
            }
            // Kept so that a later merge still sees the reset; dropped at the end.
            out.push((key, value));
            removed.push(false);
            continue;
        }
        match at {
            Some(i) if !removed[i] => {
                path.push(key.name.to_string());
                let previous = std::mem::replace(&mut out[i].1, node(Value::Null, 0, 0));
                out[i] = (key, merge(previous, value, path, refused));
                path.pop();
            }
            _ => {
                index.insert(key.name.clone(), out.len());
                out.push((key, value));
                removed.push(false);
            }
        }
    }
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        !removed[i - 1]
    });
    Node {
        value: Value::Map(out),
        line,
        tag,
        file,
    }
}

/// A value as a list (compose-go's `convertIntoSequence`): a mapping becomes `NAME=value` items
/// (`NAME` alone for a null value, one item per element of a list value) sorted by text, a
/// string a list of itself, a list stays; anything else is empty.
fn sequence<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    match n.value {
        Value::Seq(items) => items,
        Value::String(_) => vec![n],
        Value::Map(entries) => {
            let mut items = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let item = |text: Cow<'t, str>, v: &Node<'t>| Node {
                    value: Value::String(text),
                    line: key.line,
                    tag: v.tag.clone(),
                    file: key.file,
                };
                match &value.value {
                    Value::Null => items.push(item(key.name.clone(), &value)),
                    Value::Seq(list) => {
                        for v in list {
                            let text = format!("{}={}", key.name, v.text().unwrap_or_default());
                            items.push(item(Cow::Owned(text), v));
                        }
                    }
                    _ => {
                        let text = format!("{}={}", key.name, value.text().unwrap_or_default());
                        items.push(item(Cow::Owned(text), &value));
                    }
                }
            }
            items.sort_by(|a, b| a.text().cmp(&b.text()));
            items
        }
        _ => Vec::new(),
    }
}

/// A list of names as a mapping (compose-go's `convertIntoMapping`): each name to null, or for
/// `depends_on` to `{condition: service_started, required: true}`. A mapping stays.
fn names_mapping<'t>(n: Node<'t>, depends_on: bool) -> Node<'t> {
    let (line, file) = (n.line, n.file);
    let Value::Seq(items) = n.value else {
        return n;
    };
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let Some(name) = item.text() else { continue };
        let key = Key {
            name: Cow::Owned(name.to_owned()),
            line: item.line,
            file: item.file,
        };
        let value = if depends_on {
            let entry = |name: &'static str, value: Value<'t>| -> (Key<'t>, Node<'t>) {
                (
                    Key {
                        name: Cow::Borrowed(name),
                        line: item.line,
                        file: item.file,
                    },
                    node(value, item.line, item.file),
                )
            };
            node(
                Value::Map(vec![
                    entry("condition", Value::String(Cow::Borrowed("service_started"))),
                    entry("required", Value::Bool(true)),
                ]),
                item.line,
                item.file,
            )
        } else {
            node(Value::Null, item.line, item.file)
        };
        entries.push((key, value));
    }
    node(Value::Map(entries), line, file)
}

/// How the entries of a unique list are told apart (compose-go's `EnforceUnicity` indexers).
#[derive(Debug, Clone, Copy)]
enum Unique {
    /// `NAME=value` or `NAME`: by `NAME`.
    KeyValue,
    /// Volumes and devices: by the path in the container.
    Target,
    /// Devices written `HOST:CONTAINER[:PERMISSIONS]`: by the container path.
    Device,
    /// Secrets and configs: by target, else by the default folder and the source.
    Mount(&'static str),
    /// env_file: by path.
    EnvFile,
    /// Ports: by host address, published port, container port and protocol, the short and the
    /// long syntax alike (compose-go's `portIndexer` after `transform.Canonical`).
    Port,
    /// Exposed ports: by their text.
    Expose,
}

/// The unique lists of a service, by attribute.
fn unique(path: &[&str]) -> Option<Unique> {
    Some(match path {
        [
            "annotations" | "cap_add" | "cap_drop" | "dns" | "dns_opt" | "dns_search"
            | "environment" | "labels" | "links" | "profiles" | "sysctls" | "tmpfs",
        ]
        | ["build", "args" | "additional_contexts" | "tags" | "labels"]
        | ["deploy", "labels"] => Unique::KeyValue,
        ["devices"] => Unique::Device,
        ["volumes"] => Unique::Target,
        ["configs"] => Unique::Mount(""),
        ["secrets"] => Unique::Mount("/run/secrets"),
        ["env_file"] => Unique::EnvFile,
        ["ports"] => Unique::Port,
        ["expose"] => Unique::Expose,
        _ => return None,
    })
}

/// The key an entry of a unique list is told apart by; `None` leaves it alone.
fn identity(item: &Node<'_>, how: Unique) -> Option<String> {
    let text = item.text();
    match how {
        Unique::KeyValue => text.map(|t| t.split_once('=').map_or(t, |(k, _)| k).to_owned()),
        Unique::Target => match text {
            Some(t) => volumes::short(t, item.line).ok().map(|m| m.target),
            None => item.get("target").and_then(Node::text).map(str::to_owned),
        },
        Unique::Device => match text {
            Some(t) => {
                let mut parts = t.split(':');
                let first = parts.next().unwrap_or_default();
                Some(parts.next().unwrap_or(first).to_owned())
            }
            None => item.get("target").and_then(Node::text).map(str::to_owned),
        },
        Unique::Mount(folder) => match text {
            Some(t) => Some(format!("{folder}/{t}")),
            None => item
                .get("target")
                .and_then(Node::text)
                .map(str::to_owned)
                .or_else(|| {
                    let source = item.get("source").and_then(Node::text)?;
                    Some(format!("{folder}/{source}"))
                }),
        },
        Unique::EnvFile => text
            .or_else(|| item.get("path").and_then(Node::text))
            .map(str::to_owned),
        Unique::Expose => text.map(str::to_owned),
        Unique::Port => port_identity(item),
    }
}

/// The key of a `ports` entry, as compose-go's `portIndexer` computes it once every entry is in
/// the long syntax: `HOST_IP:PUBLISHED:TARGET/PROTOCOL`, the address `0.0.0.0` and the protocol
/// `tcp` when not given; so `8080:80`, `8080:80/tcp`, `0.0.0.0:8080:80` and
/// `{target: 80, published: "8080"}` are one port. compose-go formats a `published` written as
/// a YAML number as Go's `%s` does (`%!s(int=8080)`), so such an entry matches only another
/// one written the same way; the key keeps that apart. A range, which compose-go expands into
/// one entry per port, or a port it cannot read keeps its text as its key.
fn port_identity(item: &Node<'_>) -> Option<String> {
    const ANY: &str = "0.0.0.0";
    if let Some(text) = item.text() {
        let key = match super::ports::short(text, item.line) {
            Ok(p)
                if !p.container_port.contains('-')
                    && !p.host_port.as_deref().is_some_and(|h| h.contains('-')) =>
            {
                format!(
                    "{}:{}:{}/{}",
                    p.host_ip.as_deref().unwrap_or(ANY),
                    p.host_port.as_deref().unwrap_or("-"),
                    p.container_port,
                    p.protocol
                )
            }
            _ => text.to_owned(),
        };
        return Some(key);
    }
    let get = |k: &str| item.get(k).and_then(Node::text);
    let published = match item.get("published").map(|p| &p.value) {
        Some(Value::String(p)) => p.to_string(),
        Some(Value::Number(p)) => format!("#{p}"),
        _ => "-".to_owned(),
    };
    Some(format!(
        "{}:{published}:{}/{}",
        get("host_ip").unwrap_or(ANY),
        get("target")?,
        get("protocol").unwrap_or("tcp")
    ))
}

/// Removes the repeats from a merged service's unique lists: an entry whose key an earlier
/// entry has replaces that entry, in its place.
pub fn enforce_unique(service: &mut Node<'_>) {
    let Value::Map(entries) = &mut service.value else {
        return;
    };
    for (key, value) in entries.iter_mut() {
        let how = unique(&[&*key.name]);
        if let Some(how) = how {
            dedupe(value, how);
        }
        if matches!(&*key.name, "build" | "deploy")
            && let Value::Map(inner) = &mut value.value
        {
            for (k, v) in inner.iter_mut() {
                if let Some(how) = unique(&[&*key.name, &*k.name]) {
                    dedupe(v, how);
                }
            }
        }
    }
}

fn dedupe(list: &mut Node<'_>, how: Unique) {
    let Value::Seq(items) = &mut list.value else {
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Node<'_>> = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        match identity(&item, how) {
            Some(id) => match seen.get(&id) {
                Some(&at) => out[at] = item,
                None => {
                    seen.insert(id, out.len());
                    out.push(item);
                }
            },
            None => out.push(item),
        }
    }
    *items = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::compose::parse::{drop_resets, parse_keeping_resets};

    /// `service` of `over` merged over `base`, both written as YAML, then made unique and
    /// without resets, as extends leaves it.
    fn extended<'t>(base: &'t str, over: &'t str) -> (Node<'t>, Vec<Refused>) {
        let base = parse_keeping_resets(base, true).expect("base");
        let over = parse_keeping_resets(over, true).expect("over");
        let mut refused = Vec::new();
        let mut path = vec!["services".to_owned(), "x".to_owned()];
        let mut merged = merge(base, over, &mut path, &mut refused);
        enforce_unique(&mut merged);
        drop_resets(&mut merged);
        (merged, refused)
    }

    fn texts<'n>(n: &'n Node<'_>) -> Vec<&'n str> {
        n.items()
            .unwrap_or_default()
            .iter()
            .filter_map(Node::text)
            .collect()
    }

    // The examples of 05-services.md, "Merging service definitions", and of 13-merge.md.
    #[test]
    fn environment_mappings_merge_with_the_extending_service_winning() {
        let (m, _) = extended(
            "image: busybox\nenvironment:\n  TZ: utc\n  PORT: 80\n",
            "environment:\n  PORT: 8080\n",
        );
        assert_eq!(m.get("image").and_then(Node::text), Some("busybox"));
        assert_eq!(
            texts(m.get("environment").expect("env")),
            ["PORT=8080", "TZ=utc"]
        );
    }

    #[test]
    fn environment_lists_merge_the_same_way() {
        let (m, _) = extended(
            "environment: [TZ=utc, PORT=80]\n",
            "environment: [PORT=8080]\n",
        );
        assert_eq!(
            texts(m.get("environment").expect("env")),
            ["TZ=utc", "PORT=8080"]
        );
    }

    #[test]
    fn volumes_with_the_same_target_are_replaced() {
        let (m, _) = extended(
            "volumes:\n  - common-volume:/var/lib/backup/data:rw\n",
            "volumes:\n  - cli-volume:/var/lib/backup/data:ro\n",
        );
        assert_eq!(
            texts(m.get("volumes").expect("volumes")),
            ["cli-volume:/var/lib/backup/data:ro"]
        );
    }

    #[test]
    fn sequences_append_and_ports_stay_unique() {
        let (m, _) = extended(
            "security_opt: [label:role:ROLE]\nports: ['8080:80', '9090:90']\n",
            "security_opt: [label:user:USER]\nports: ['8080:80', '3000:3000']\n",
        );
        assert_eq!(
            texts(m.get("security_opt").expect("opts")),
            ["label:role:ROLE", "label:user:USER"]
        );
        assert_eq!(
            texts(m.get("ports").expect("ports")),
            ["8080:80", "9090:90", "3000:3000"]
        );
    }

    #[test]
    fn extra_hosts_leave_out_the_entries_the_base_has_in_linear_time() {
        // compose-go's mergeExtraHosts: the base's entries, then the new ones it lacks.
        let (m, _) = extended(
            "extra_hosts: ['a:1', 'b:2']\n",
            "extra_hosts: ['b:2', 'c:3', 'a:9']\n",
        );
        assert_eq!(
            texts(m.get("extra_hosts").expect("hosts")),
            ["a:1", "b:2", "c:3", "a:9"]
        );
        // 60,000 entries on each side: a comparison of every pair (3.6 billion) would take
        // minutes; the set takes one lookup per entry, so this test stays fast.
        let n = 60_000;
        let base: String = (0..n).map(|i| format!("- 'a{i}:1'\n")).collect();
        let over: String = (0..n).map(|i| format!("- 'h{i}:2'\n")).collect();
        let (base, over) = (
            format!("extra_hosts:\n{base}"),
            format!("extra_hosts:\n{over}"),
        );
        let (m, _) = extended(&base, &over);
        assert_eq!(texts(m.get("extra_hosts").expect("hosts")).len(), 2 * n);
    }

    #[test]
    fn ports_compose_treats_as_one_are_replaced_in_place() {
        // compose-go keys every port as HOST_IP:PUBLISHED:TARGET/PROTOCOL after making it long.
        let (m, _) = extended(
            "ports: ['8080:80', '9090:90', '127.0.0.1:7070:70', '3000:3000']\n",
            "ports: ['8080:80/tcp', {target: 90, published: '9090'}, '7070:70', '0.0.0.0:3000:3000']\n",
        );
        let ports = m.get("ports").and_then(Node::items).expect("ports");
        let shown: Vec<String> = ports
            .iter()
            .map(|p| {
                p.text().map(str::to_owned).unwrap_or_else(|| {
                    format!(
                        "{{{}}}",
                        p.get("target").and_then(Node::text).unwrap_or("?")
                    )
                })
            })
            .collect();
        // 127.0.0.1:7070 and 7070 on every address differ; no address means 0.0.0.0.
        assert_eq!(
            shown,
            [
                "8080:80/tcp",
                "{90}",
                "127.0.0.1:7070:70",
                "0.0.0.0:3000:3000",
                "7070:70"
            ]
        );
        // A published port written as a YAML number is another key in compose-go.
        let (m, _) = extended(
            "ports: ['9090:90']\n",
            "ports: [{target: 90, published: 9090}]\n",
        );
        assert_eq!(
            m.get("ports").and_then(Node::items).map(<[_]>::len),
            Some(2)
        );
        // Ranges keep their text as their key.
        let (m, _) = extended(
            "ports: ['8000-8001:80-81']\n",
            "ports: ['8000-8001:80-81/tcp']\n",
        );
        assert_eq!(
            m.get("ports").and_then(Node::items).map(<[_]>::len),
            Some(2)
        );
    }

    #[test]
    fn commands_are_replaced_not_appended() {
        let (m, _) = extended(
            "command: [echo, foo]\nhealthcheck: {test: [CMD, a], interval: 5s}\n",
            "command: [echo, bar]\nhealthcheck: {test: [CMD, b]}\n",
        );
        assert_eq!(texts(m.get("command").expect("command")), ["echo", "bar"]);
        let health = m.get("healthcheck").expect("healthcheck");
        assert_eq!(texts(health.get("test").expect("test")), ["CMD", "b"]);
        assert_eq!(health.get("interval").and_then(Node::text), Some("5s"));
    }

    #[test]
    fn reset_removes_and_override_replaces() {
        let (m, _) = extended(
            "ports: ['8080:80']\nenvironment: {FOO: BAR}\nvolumes: [a:/a]\n",
            "ports: !reset []\nvolumes: !override [b:/b]\n",
        );
        assert!(m.get("ports").is_none());
        assert_eq!(texts(m.get("volumes").expect("volumes")), ["b:/b"]);
        assert!(m.get("environment").is_some());
    }

    #[test]
    fn build_strings_and_depends_on_lists_become_mappings() {
        let (m, _) = extended(
            "build: ./app\ndepends_on: [db]\n",
            "build: {target: dev}\ndepends_on: {cache: {condition: service_healthy}}\n",
        );
        let build = m.get("build").expect("build");
        assert_eq!(build.get("context").and_then(Node::text), Some("./app"));
        assert_eq!(build.get("target").and_then(Node::text), Some("dev"));
        let deps = m.get("depends_on").expect("depends_on");
        assert_eq!(
            deps.get("db")
                .and_then(|d| d.get("condition"))
                .and_then(Node::text),
            Some("service_started")
        );
        assert!(deps.get("cache").is_some());
    }

    #[test]
    fn a_list_overridden_by_a_string_is_refused() {
        let (m, refused) = extended("ports: ['80:80']\n", "ports: '90:90'\n");
        assert_eq!(m.get("ports").and_then(Node::text), Some("90:90"));
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].path, "services.x.ports");
    }

    #[test]
    fn the_overriding_key_keeps_its_line() {
        let (m, _) = extended("image: a\nuser: root\n", "\n\nimage: b\n");
        let (key, value) = m.entry("image").expect("image");
        assert_eq!((key.line, value.line), (3, 3));
        assert_eq!(m.entry("user").map(|(k, _)| k.line), Some(2));
    }
}
