//! Tips about a compose file: one function per rule, listed in [`RULES`]. Each rule names its
//! tip by a [`Tip`] variant generated from data/compose-tips.yaml, where the advice and the
//! glossary terms live.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::keys::ImageKind;
pub use super::keys::Tip;
use super::parse::Node;
use super::ports::Reach;
use super::volumes::MountType;
use super::{ComposeFile, Finding, Origin, Service};
use crate::explain::shorten;

/// What the rules look at.
pub struct Context<'a> {
    /// The file, read.
    pub file: &'a ComposeFile,
    /// The parsed tree.
    pub root: &'a Node<'a>,
    /// Where the file is.
    pub origin: &'a Origin,
    /// Secret-looking environment variables with literal values.
    pub secret_literals: &'a [SecretLiteral],
}

/// A secret-looking environment variable with a literal value: (service, name, (file, line)),
/// the file `None` for the file explained.
pub type SecretLiteral = (String, String, (Option<String>, usize));

type Rule = fn(&Context<'_>, &mut Vec<Finding>);

/// Every rule, in the order their tips are listed.
pub const RULES: &[Rule] = &[
    version_obsolete,
    published_all_interfaces,
    gpu_without_shm,
    image_unpinned,
    depends_not_healthy,
    secret_in_environment,
    volume_undeclared,
    bind_missing,
    depends_unknown,
];

/// Runs every rule; the tips come out ordered by line.
pub fn check(
    file: &ComposeFile,
    root: &Node<'_>,
    origin: &Origin,
    secret_literals: &[SecretLiteral],
) -> Vec<Finding> {
    let context = Context {
        file,
        root,
        origin,
        secret_literals,
    };
    let mut found = Vec::new();
    for rule in RULES {
        rule(&context, &mut found);
    }
    found.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    found
}

/// Where a tip points: the file (`None` for the file explained) and the line.
type At<'a> = (&'a Option<String>, usize);

fn tip(found: &mut Vec<Finding>, tip: Tip, (file, line): At<'_>, what: String) {
    found.push(Finding {
        tip,
        line,
        file: file.clone(),
        message: format!("{what}: {}", tip.info().advice),
    });
}

fn name(s: &Service) -> String {
    shorten(&s.name, 40)
}

fn kind(s: &Service) -> Option<ImageKind> {
    s.what.map(|w| w.kind)
}

fn version_obsolete(c: &Context<'_>, found: &mut Vec<Finding>) {
    if let Some((key, _)) = c.root.entry("version") {
        tip(
            found,
            Tip::VersionObsolete,
            (&None, key.line),
            "the top-level version".into(),
        );
    }
}

fn published_all_interfaces(c: &Context<'_>, found: &mut Vec<Finding>) {
    for s in &c.file.services {
        let what = match kind(s) {
            Some(ImageKind::Database) => "a database",
            Some(ImageKind::Notebook) => "a notebook server",
            _ => continue,
        };
        for port in s.ports.iter().filter(|p| p.reach() == Reach::Everywhere) {
            tip(
                found,
                Tip::PublishedAllInterfaces,
                (&port.file, port.line),
                format!(
                    "service {} ({what}) publishes {} on every network interface",
                    name(s),
                    shorten(&port.text, 40)
                ),
            );
        }
    }
}

fn gpu_without_shm(c: &Context<'_>, found: &mut Vec<Finding>) {
    for s in &c.file.services {
        let Some(gpus) = &s.gpus else { continue };
        if s.shm_size.is_none() && s.ipc.as_deref() != Some("host") {
            tip(
                found,
                Tip::GpuShm,
                (&gpus.file, gpus.line),
                format!(
                    "service {} asks for a GPU but keeps the default shared memory",
                    name(s)
                ),
            );
        }
    }
}

fn image_unpinned(c: &Context<'_>, found: &mut Vec<Finding>) {
    for s in c.file.services.iter().filter(|s| s.build.is_none()) {
        let Some(image) = &s.image else { continue };
        let Some(reading) = &image.reading else {
            continue;
        };
        let what = match (reading.tag.as_deref(), &reading.digest) {
            (_, Some(_)) => continue,
            (None, None) => "has no tag, so it means latest",
            (Some("latest"), None) => "uses the tag latest",
            _ => continue,
        };
        tip(
            found,
            Tip::ImageUnpinned,
            (&image.file, image.line),
            format!(
                "service {}'s image {} {what}",
                name(s),
                shorten(&image.text, 60)
            ),
        );
    }
}

fn depends_not_healthy(c: &Context<'_>, found: &mut Vec<Finding>) {
    // The first service of each name, as a search from the start would find it.
    let mut by_name = HashMap::new();
    for t in &c.file.services {
        by_name.entry(t.name.as_str()).or_insert(t);
    }
    for s in &c.file.services {
        for d in s
            .depends_on
            .iter()
            .filter(|d| d.condition == "service_started")
        {
            let target = by_name.get(d.service.as_str()).copied();
            if target.and_then(kind) == Some(ImageKind::Database) {
                tip(
                    found,
                    Tip::DependsNotHealthy,
                    (&d.file, d.line),
                    format!(
                        "service {} waits only until the database {} has started",
                        name(s),
                        shorten(&d.service, 40)
                    ),
                );
            }
        }
    }
}

fn secret_in_environment(c: &Context<'_>, found: &mut Vec<Finding>) {
    for (service, variable, (file, line)) in c.secret_literals {
        tip(
            found,
            Tip::SecretInEnvironment,
            (file, *line),
            format!(
                "service {} sets {} to a value written in the file",
                shorten(service, 40),
                shorten(variable, 40)
            ),
        );
    }
}

fn volume_undeclared(c: &Context<'_>, found: &mut Vec<Finding>) {
    let declared: HashSet<&str> = c.file.volumes.iter().map(|v| v.name.as_str()).collect();
    for s in &c.file.services {
        for m in s.volumes.iter().filter(|m| m.kind == MountType::Volume) {
            let Some(source) = &m.source else { continue };
            if !declared.contains(source.as_str()) {
                tip(
                    found,
                    Tip::VolumeUndeclared,
                    (&m.file, m.line),
                    format!(
                        "service {} mounts the named volume {}, which is not declared",
                        name(s),
                        shorten(source, 40)
                    ),
                );
            }
        }
    }
}

fn bind_missing(c: &Context<'_>, found: &mut Vec<Finding>) {
    // A path is relative to the folder of the file it is written in.
    let folder_of = |file: &Option<String>| match file {
        None => c.origin.folder.as_ref(),
        Some(name) => c
            .file
            .files
            .iter()
            .find(|f| f.shown == *name)
            .and_then(|f| f.folder.as_ref()),
    };
    // Services that share a mount through an anchor share its line: one tip per mount, in the
    // order first met; `at` finds a mount's entry in one lookup.
    type Seen<'s> = (&'s Option<String>, usize, &'s str, Vec<&'s str>);
    let mut seen: Vec<Seen<'_>> = Vec::new();
    let mut at: HashMap<(&Option<String>, usize, &str), usize> = HashMap::new();
    for s in &c.file.services {
        for m in &s.volumes {
            let Some(source) = m.relative_source() else {
                continue;
            };
            let Some(folder) = folder_of(&m.file) else {
                continue;
            };
            if folder.join(source).exists() {
                continue;
            }
            match at.entry((&m.file, m.line, source)) {
                Entry::Occupied(e) => seen[*e.get()].3.push(&s.name),
                Entry::Vacant(e) => {
                    e.insert(seen.len());
                    seen.push((&m.file, m.line, source, vec![&s.name]));
                }
            }
        }
    }
    for (file, line, source, services) in seen {
        let who = match services.as_slice() {
            [one] => format!("service {} mounts", shorten(one, 40)),
            [first, rest @ ..] => format!(
                "services {} and {} more mount",
                shorten(first, 40),
                rest.len()
            ),
            [] => continue,
        };
        tip(
            found,
            Tip::BindMissing,
            (file, line),
            format!(
                "{who} {}, which does not exist beside the compose file",
                shorten(source, 60)
            ),
        );
    }
}

fn depends_unknown(c: &Context<'_>, found: &mut Vec<Finding>) {
    let defined: HashSet<&str> = c.file.services.iter().map(|s| s.name.as_str()).collect();
    for s in &c.file.services {
        for d in &s.depends_on {
            if !defined.contains(d.service.as_str()) {
                tip(
                    found,
                    Tip::DependsUnknown,
                    (&d.file, d.line),
                    format!("service {} depends on {}", name(s), shorten(&d.service, 40)),
                );
            }
        }
    }
}
