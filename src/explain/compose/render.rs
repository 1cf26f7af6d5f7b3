//! A read compose file as markdown (for text output) and as JSON in the documented shape.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::ports::Reach;
use super::reading::HIDDEN;
use super::volumes::MountType;
use super::{Build, ComposeFile, Creation, Dependency, Gpus, Mount, Part, Port, Service, Warning};
use crate::explain::{escape, push_escaped, push_terms, shorten, terms};

/// Where an item is written, as text: `Line 12`, or `Line 12 in `other.yaml`` for an item of
/// another file than the one explained.
struct At<'a>(usize, &'a Option<String>);

impl At<'_> {
    /// `line 12`, for the middle of a sentence.
    fn lower(&self) -> String {
        let mut text = self.to_string();
        text.replace_range(..1, "l");
        text
    }
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line {}", self.0)?;
        match self.1 {
            Some(file) => write!(f, " in {}", shown(file, 60)),
            None => Ok(()),
        }
    }
}

/// User text as inline code, on one line and at most `max` characters.
fn shown(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(4 * max) + 5);
    push_shown(&mut out, text, max);
    out
}

/// [`shown`], appended to `out`: code(shorten(one line)) in one pass, as it runs for every
/// value shown.
fn push_shown(out: &mut String, text: &str, max: usize) {
    let cut = if text.len() <= max {
        None
    } else {
        text.char_indices().nth(max).map(|(at, _)| at)
    };
    let body = &text[..cut.unwrap_or(text.len())];
    out.push('`');
    let mut copied = 0;
    for (i, b) in body.bytes().enumerate() {
        let with = match b {
            b'\n' | b'\r' => ' ',
            b'`' => '\'',
            _ => continue,
        };
        out.push_str(&body[copied..i]);
        out.push(with);
        copied = i + 1;
    }
    out.push_str(&body[copied..]);
    if cut.is_some() {
        out.push('…');
    }
    out.push('`');
}

/// [`shorten`], appended to `out`.
fn push_shortened(out: &mut String, text: &str, max: usize) {
    let cut = if text.len() <= max {
        None
    } else {
        text.char_indices().nth(max).map(|(at, _)| at)
    };
    match cut {
        None => out.push_str(text),
        Some(at) => {
            out.push_str(&text[..at]);
            out.push('…');
        }
    }
}

/// One `* Line N `key: value`: meaning. *See* …` line for a part.
fn part_line(md: &mut String, part: &Part, max: usize) {
    let _ = write!(md, "* {} ", At(part.line, &part.file));
    let mut both = String::with_capacity(part.key.len() + 2 + part.text.len());
    both.push_str(&part.key);
    both.push_str(": ");
    both.push_str(&part.text);
    push_shown(md, &both, max);
    md.push_str(": ");
    push_escaped(md, part.meaning);
    md.push_str(". ");
    push_terms(md, part.terms);
    md.push('\n');
}

/// The explanation as markdown.
pub fn markdown(file: &ComposeFile, path: &str) -> String {
    // About 2 KiB per service: sized once rather than copied each time it doubles.
    let mut md = String::with_capacity(4096 + 2048 * file.services.len());
    let names: Vec<String> = file.services.iter().map(|s| shown(&s.name, 40)).collect();
    let _ = writeln!(md, "# Compose file {path}\n");
    let _ = writeln!(
        md,
        "Project {} ({}), {} service(s): {}. *See* `compose-file`, `compose-service`\n",
        shown(&file.project.0, 60),
        file.project.1,
        file.services.len(),
        names.join(", ")
    );
    // Volumes, networks, secrets, configs and include have sections of their own.
    let covered = ["volumes", "networks", "secrets", "configs", "include"];
    for part in file.top.iter().filter(|p| !covered.contains(&&*p.key)) {
        part_line(&mut md, part, 60);
    }
    for (include, line) in &file.include {
        let _ = writeln!(
            md,
            "* Line {line}: includes {}, whose services, networks and volumes join this project. *See* `compose-file`",
            shown(include, 60)
        );
    }
    for s in &file.services {
        service(&mut md, s);
    }
    top_level(&mut md, file);
    if !file.start_order.is_empty() {
        let order: Vec<String> = file.start_order.iter().map(|n| shown(n, 40)).collect();
        let _ = writeln!(
            md,
            "\n## Start order\n\n{} (each service starts after those it depends on).",
            order.join(" → ")
        );
    }
    if !file.creates.is_empty() {
        md.push_str("\n## What docker compose up creates\n\n");
        for c in &file.creates {
            let _ = writeln!(
                md,
                "* {} {}: {}",
                c.kind,
                shown(&c.name, 80),
                escape(&c.note)
            );
        }
        let optional: Vec<String> = file
            .services
            .iter()
            .filter(|s| !s.profiles.is_empty())
            .map(|s| shown(&s.name, 40))
            .collect();
        if !optional.is_empty() {
            let _ = writeln!(
                md,
                "\nNot started without --profile: {}.",
                optional.join(", ")
            );
        }
    }
    if !file.tips.is_empty() {
        md.push_str("\n## Tips\n\n");
        for t in &file.tips {
            let _ = writeln!(
                md,
                "* {} ({}): {}. {}",
                At(t.line, &t.file),
                t.tip.info().id,
                escape(&t.message),
                terms(t.tip.info().terms)
            );
        }
    }
    if !file.warnings.is_empty() {
        md.push_str("\n## Warnings\n\n");
        for w in &file.warnings {
            let _ = writeln!(md, "* {}: {}", At(w.line, &w.file), escape(&w.message));
        }
    }
    md
}

fn service(md: &mut String, s: &Service) {
    let _ = writeln!(
        md,
        "\n## Service {} ({})\n",
        shown(&s.name, 40),
        At(s.line, &s.file).lower()
    );
    if let Some(what) = s.what {
        let _ = writeln!(md, "{}.\n", escape(&capitalise(what.what)));
    }
    if let Some(image) = &s.image {
        let role = if s.build.is_some() {
            "names the image it builds"
        } else {
            "runs the image"
        };
        match &image.reading {
            Some(r) => {
                let _ = writeln!(
                    md,
                    "* {}: {role} {}; docker pull sees it as {}. *See* `image`, `tag`",
                    At(image.line, &image.file),
                    shown(&image.text, 80),
                    shown(&r.normalized, 80)
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "* {}: {role} {}. *See* `image`",
                    At(image.line, &image.file),
                    shown(&image.text, 80)
                );
            }
        }
    }
    if let Some(b) = &s.build {
        build(md, b);
    }
    if let Some((base, file)) = &s.extends {
        let from = file
            .as_ref()
            .map(|f| format!(" in {}", shown(f, 60)))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "* Starts from the settings of service {}{from}, then applies its own. *See* `compose-service`",
            shown(base, 40)
        );
    }
    for p in &s.ports {
        port(md, p);
    }
    for m in &s.volumes {
        mount(md, m);
    }
    if !s.environment.is_empty() {
        // Appended piece by piece: a service may set dozens of variables.
        let at = s
            .environment
            .first()
            .map_or(At(s.line, &s.file), |v| At(v.line, &v.file));
        let _ = write!(md, "* {at}: environment variables inside the container: ");
        let mut one = String::new();
        for (n, v) in s.environment.iter().enumerate() {
            one.clear();
            push_shortened(&mut one, &v.name, 40);
            match &v.value {
                Some(_) if v.secret => {
                    one.push('=');
                    one.push_str(HIDDEN);
                }
                Some(value) => {
                    one.push('=');
                    push_shortened(&mut one, value, 40);
                }
                None => one.push_str(" (taken from the shell)"),
            }
            if n > 0 {
                md.push_str(", ");
            }
            push_shown(md, &one, 90);
        }
        md.push_str(". *See* `environment-variable`\n");
    }
    for f in &s.env_file {
        match &f.variables {
            Some(vars) => {
                let list: Vec<String> = vars
                    .iter()
                    .map(|(name, value)| shown(&format!("{}={value}", shorten(name, 40)), 90))
                    .collect();
                let list = if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                };
                let _ = writeln!(
                    md,
                    "* {}: sets the variables of {} inside the container (where environment: sets the same name, environment: wins): {list}. *See* `environment-variable`",
                    At(f.line, &f.file),
                    shown(&f.path, 60)
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "* {}: sets the variables of {} inside the container{}. *See* `environment-variable`",
                    At(f.line, &f.file),
                    shown(&f.path, 60),
                    if f.required { "" } else { " when it exists" }
                );
            }
        }
    }
    if let Some(g) = &s.gpus {
        let how = if g.short {
            "gpus"
        } else {
            "deploy.resources.reservations.devices"
        };
        let _ = writeln!(
            md,
            "* {}: asks for {} with capabilities {} ({how}); the host needs the NVIDIA Container Toolkit. *See* `gpu-access`, `nvidia-container-toolkit`",
            At(g.line, &g.file),
            escape(&g.describe()),
            shown(&g.capabilities.join(", "), 60)
        );
    }
    if let Some(shm) = &s.shm_size {
        let _ = writeln!(
            md,
            "* Shared memory (/dev/shm): {}. *See* `shared-memory`",
            shown(shm, 30)
        );
    }
    if let Some(ipc) = &s.ipc {
        let meaning = match ipc.as_str() {
            "host" => "shares the host's IPC namespace, and so its /dev/shm",
            "shareable" => "its own IPC namespace, which other containers may join",
            "private" => "its own IPC namespace, which no other container may join",
            _ => "the IPC namespace it uses",
        };
        let _ = writeln!(
            md,
            "* IPC {}: {meaning}. *See* `shared-memory`, `namespace`",
            shown(ipc, 40)
        );
    }
    for d in &s.depends_on {
        dependency(md, d);
    }
    if let Some(h) = &s.healthcheck {
        if h.disabled {
            let _ = writeln!(
                md,
                "* {}: turns off the image's health check. *See* `healthcheck`",
                At(h.line, &h.file)
            );
        } else {
            let every = h
                .interval
                .as_ref()
                .map(|i| format!(", every {}", shown(i, 20)))
                .unwrap_or_default();
            let test = h
                .test
                .as_ref()
                .map(|t| format!(" runs {}", shown(t, 60)))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "* {}: health check{test}{every}; docker ps shows healthy or unhealthy, and depends_on can wait for healthy. *See* `healthcheck`",
                At(h.line, &h.file)
            );
        }
    }
    if !s.profiles.is_empty() {
        let list: Vec<String> = s.profiles.iter().map(|p| shown(p, 30)).collect();
        let _ = writeln!(
            md,
            "* Starts only with docker compose --profile {} up (or COMPOSE_PROFILES). *See* `compose-service`",
            list.join(" or ")
        );
    }
    const DETAILED: &[&str] = &[
        "image",
        "build",
        "extends",
        "ports",
        "volumes",
        "tmpfs",
        "environment",
        "env_file",
        "gpus",
        "shm_size",
        "ipc",
        "depends_on",
        "healthcheck",
        "profiles",
    ];
    let others: Vec<&Part> = s
        .parts
        .iter()
        .filter(|p| !DETAILED.contains(&&*p.key))
        .collect();
    for p in others {
        part_line(md, p, 70);
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn build(md: &mut String, b: &Build) {
    let target = b
        .target
        .as_ref()
        .map(|t| format!(", stage {}", shown(t, 40)))
        .unwrap_or_default();
    let args = if b.args.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = b.args.iter().map(|(n, _)| shown(n, 40)).collect();
        format!(", build arguments {}", list.join(", "))
    };
    let _ = writeln!(
        md,
        "* {}: builds its image from the context {} with {}{target}{args}. *See* `build-context`, `dockerfile`, `build-arg`",
        At(b.line, &b.file),
        shown(&b.context, 60),
        shown(&b.dockerfile, 60)
    );
}

fn port(md: &mut String, p: &Port) {
    let host = match &p.host_port {
        Some(h) => format!("host port {}", shown(h, 20)),
        None => "a free host port Docker picks".to_owned(),
    };
    let reach = match p.reach() {
        Reach::Everywhere => {
            "on every network interface, so other machines can reach it".to_owned()
        }
        Reach::ThisMachine => format!(
            "on {} only, so only this machine can reach it",
            shown(p.host_ip.as_deref().unwrap_or_default(), 40)
        ),
        Reach::OneAddress => format!(
            "on the address {}, so machines that reach that address can",
            shown(p.host_ip.as_deref().unwrap_or_default(), 40)
        ),
    };
    let _ = writeln!(
        md,
        "* {} port {}: {host} → container port {}/{} {reach}. *See* `port-publishing`",
        At(p.line, &p.file),
        shown(&p.text, 60),
        shown(&p.container_port, 20),
        p.protocol
    );
}

fn mount(md: &mut String, m: &Mount) {
    let target = shown(&m.target, 60);
    let what = match (m.kind, &m.source) {
        (MountType::Bind, Some(src)) => {
            format!("bind mount of the host path {} at {target}", shown(src, 60))
        }
        (MountType::Volume, Some(src)) => format!(
            "named volume {} at {target}; its data outlives the container",
            shown(src, 40)
        ),
        (MountType::Volume, None) => {
            format!("anonymous volume at {target}; Docker names it with a random id")
        }
        (MountType::Tmpfs, _) => {
            format!("tmpfs at {target}: in memory, gone when the container stops")
        }
        (MountType::Image, Some(src)) => {
            format!("the files of the image {} at {target}", shown(src, 60))
        }
        (_, _) => format!("mount at {target}"),
    };
    let access = if m.read_only {
        "read-only"
    } else {
        "read-write"
    };
    let terms = match m.kind {
        MountType::Bind => "`bind-mount`",
        MountType::Tmpfs => "`tmpfs-mount`",
        MountType::Volume if m.source.is_none() => "`anonymous-volume`, `volume`",
        _ => "`volume`",
    };
    let _ = writeln!(
        md,
        "* {} volume {}: {what}, {access}. *See* {terms}",
        At(m.line, &m.file),
        shown(&m.text, 60)
    );
}

fn dependency(md: &mut String, d: &Dependency) {
    let wait = match d.condition.as_str() {
        "service_healthy" => "starts after it reports healthy",
        "service_completed_successfully" => {
            "starts after it has run to completion with exit status 0"
        }
        _ => "starts after it has started (not necessarily ready)",
    };
    let optional = if d.required {
        ""
    } else {
        "; if it cannot start, Compose only warns"
    };
    let _ = writeln!(
        md,
        "* {}: depends on {}: {wait}{optional}. *See* `compose-service`, `healthcheck`",
        At(d.line, &d.file),
        shown(&d.service, 40)
    );
}

fn top_level(md: &mut String, file: &ComposeFile) {
    let any = !(file.volumes.is_empty()
        && file.networks.is_empty()
        && file.secrets.is_empty()
        && file.configs.is_empty());
    if !any {
        return;
    }
    md.push_str("\n## Top level\n\n");
    for (list, what, term) in [
        (&file.volumes, "volume", "volume"),
        (&file.networks, "network", "network"),
        (&file.secrets, "secret", "compose-file"),
        (&file.configs, "config", "compose-file"),
    ] {
        for d in list {
            let mut note = if d.external {
                "exists already; Compose does not create it".to_owned()
            } else {
                "Compose creates it".to_owned()
            };
            if let Some(real) = &d.real_name {
                let _ = write!(note, ", named {}", shown(real, 40));
            }
            if let Some(from) = &d.from {
                let _ = write!(note, ", from {}", shown(from, 60));
            }
            let _ = writeln!(
                md,
                "* {} {what} {}: {note}. *See* `{term}`",
                At(d.line, &d.file),
                shown(&d.name, 40)
            );
        }
    }
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    image: Option<Value>,
    build: Option<BuildJson<'a>>,
    ports: Vec<PortJson<'a>>,
    volumes: &'a [Mount],
    environment: Vec<&'a str>,
    env_file: Vec<EnvFileJson<'a>>,
    gpus: Option<&'a Gpus>,
    shm_size: Option<&'a str>,
    ipc: Option<&'a str>,
    depends_on: &'a [Dependency],
    healthcheck: bool,
    profiles: &'a [String],
    parts: &'a [Part],
}

#[derive(Serialize)]
struct EnvFileJson<'a> {
    path: &'a str,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    required: bool,
    /// The names it sets; null when it was not read.
    variables: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct BuildJson<'a> {
    context: &'a str,
    dockerfile: &'a str,
    target: Option<&'a str>,
    args: serde_json::Map<String, Value>,
}

#[derive(Serialize)]
struct PortJson<'a> {
    #[serde(flatten)]
    port: &'a Port,
    reachable_from_other_machines: bool,
}

#[derive(Serialize)]
struct TipJson<'a> {
    id: &'static str,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    message: &'a str,
    terms: &'static [&'static str],
}

#[derive(Serialize)]
struct FileJson<'a> {
    kind: &'static str,
    path: &'a str,
    project: &'a str,
    services: Vec<ServiceJson<'a>>,
    volumes: Vec<&'a str>,
    networks: Vec<&'a str>,
    secrets: Vec<&'a str>,
    configs: Vec<&'a str>,
    start_order: &'a [String],
    creates: &'a [Creation],
    tips: Vec<TipJson<'a>>,
    warnings: &'a [Warning],
}

/// The explanation as JSON.
pub fn json(file: &ComposeFile, path: &str) -> Value {
    let services = file
        .services
        .iter()
        .map(|s| ServiceJson {
            name: &s.name,
            line: s.line,
            file: s.file.as_deref(),
            image: s
                .image
                .as_ref()
                .and_then(|i| i.reading.as_ref().map(|r| r.json(&i.text))),
            build: s.build.as_ref().map(|b| BuildJson {
                context: &b.context,
                dockerfile: &b.dockerfile,
                target: b.target.as_deref(),
                args: b.args.iter().map(|(k, v)| (k.clone(), json!(v))).collect(),
            }),
            ports: s
                .ports
                .iter()
                .map(|p| PortJson {
                    port: p,
                    reachable_from_other_machines: p.reachable_from_other_machines(),
                })
                .collect(),
            volumes: &s.volumes,
            environment: s.environment.iter().map(|v| v.name.as_str()).collect(),
            env_file: s
                .env_file
                .iter()
                .map(|f| EnvFileJson {
                    path: &f.path,
                    line: f.line,
                    file: f.file.as_deref(),
                    required: f.required,
                    variables: f
                        .variables
                        .as_ref()
                        .map(|v| v.iter().map(|(name, _)| name.as_str()).collect()),
                })
                .collect(),
            gpus: s.gpus.as_ref(),
            shm_size: s.shm_size.as_deref(),
            ipc: s.ipc.as_deref(),
            depends_on: &s.depends_on,
            healthcheck: s.healthcheck.as_ref().is_some_and(|h| !h.disabled),
            profiles: &s.profiles,
            parts: &s.parts,
        })
        .collect();
    let names = |list: &'_ [super::Declared]| -> Vec<String> {
        list.iter().map(|d| d.name.clone()).collect()
    };
    let (volumes, networks, secrets, configs) = (
        names(&file.volumes),
        names(&file.networks),
        names(&file.secrets),
        names(&file.configs),
    );
    let doc = FileJson {
        kind: "compose",
        path,
        project: &file.project.0,
        services,
        volumes: volumes.iter().map(String::as_str).collect(),
        networks: networks.iter().map(String::as_str).collect(),
        secrets: secrets.iter().map(String::as_str).collect(),
        configs: configs.iter().map(String::as_str).collect(),
        start_order: &file.start_order,
        creates: &file.creates,
        tips: file
            .tips
            .iter()
            .map(|t| TipJson {
                id: t.tip.info().id,
                line: t.line,
                file: t.file.as_deref(),
                message: &t.message,
                terms: t.tip.info().terms,
            })
            .collect(),
        warnings: &file.warnings,
    };
    serde_json::to_value(doc).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::super::{Environment, Origin, explain};
    use crate::glossary::Glossary;

    // The ids this module writes after *See* are literals, so a test checks each against the
    // glossary, on a file that reaches every branch that writes one.
    #[test]
    fn every_term_the_text_links_to_exists() {
        let text = "\
name: demo
version: '3'
x-base: &base
  restart: always
services:
  db:
    <<: *base
    image: postgres:16
    ports: [\"5432:5432\", \"127.0.0.1:5433:5432\", \"10.0.0.1:5434:5432\"]
    volumes: [\"data:/var/lib/postgresql/data\", \"./init:/docker-entrypoint-initdb.d:ro\", \"/anon\"]
    tmpfs: /run
    environment: {POSTGRES_PASSWORD: x, PGDATA: /var/lib/postgresql/data, EMPTY: }
    env_file: .env
    healthcheck: {test: [\"CMD\", \"pg_isready\"], interval: 5s}
    shm_size: 1gb
    ipc: shareable
    profiles: [db]
  app:
    build: {context: ., dockerfile: Dockerfile, target: dev, args: {A: 1}}
    image: app:dev
    extends: {service: db}
    gpus: all
    depends_on: {db: {condition: service_healthy, required: false}}
    healthcheck: {disable: true}
    secrets: [token]
    networks: [back]
volumes:
  data:
networks:
  back: {external: true}
secrets:
  token: {file: ./token.txt}
configs:
  conf: {content: x}
include: [other.yaml]
";
        let file = explain(text, &Origin::default(), &Environment::default()).expect("valid");
        let md = file.markdown("x");
        let glossary = Glossary::builtin();
        let mut checked = 0;
        for line in md.lines() {
            let Some((_, ids)) = line.split_once("*See* ") else {
                continue;
            };
            for id in ids.split(", ") {
                let id = id.trim().trim_matches('`');
                assert!(glossary.get(id).is_some(), "unknown term {id} in: {line}");
                checked += 1;
            }
        }
        assert!(checked > 30, "only {checked} links checked:\n{md}");
    }
}
