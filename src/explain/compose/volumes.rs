//! Mounts of a service (`volumes` and `tmpfs`), in the short syntax
//! (`SOURCE:TARGET[:MODE]`) and the long syntax. A short-syntax source is a host path, so a
//! bind mount, when it starts with `.`, `/` or `~` (or is a Windows path); otherwise it names a
//! volume (the Compose Specification's `volumes`, and compose-go's format/volume.go).

use serde::Serialize;

use super::parse::{Node, Value};

/// The kinds of mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    /// A named or anonymous volume, managed by Docker.
    Volume,
    /// A file or folder of the host.
    Bind,
    /// Memory, gone when the container stops.
    Tmpfs,
    /// The files of an image.
    Image,
    /// A Windows named pipe.
    Npipe,
    /// A cluster volume.
    Cluster,
}

/// One mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// As written (short syntax), or rebuilt from the long syntax.
    pub text: String,
    /// What kind of mount.
    #[serde(rename = "type")]
    pub kind: MountType,
    /// The host path, volume name or image; `None` for an anonymous volume or tmpfs.
    pub source: Option<String>,
    /// The path inside the container.
    pub target: String,
    /// Whether the container can only read it.
    pub read_only: bool,
    /// Other options written (SELinux, propagation, nocopy…).
    #[serde(skip)]
    pub options: Vec<String>,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Mount {
    /// Whether the source is a path relative to the compose file's folder.
    pub fn relative_source(&self) -> Option<&str> {
        let source = self.source.as_deref()?;
        (self.kind == MountType::Bind && source.starts_with('.')).then_some(source)
    }
}

/// Whether a short-syntax source is a host path (compose-go's `isFilePath`).
pub fn is_host_path(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        None => false,
        Some('.' | '/' | '~') => true,
        Some(_) if source.starts_with("\\\\") => true,
        Some(first) => first.is_alphabetic() && chars.next() == Some(':'),
    }
}

/// Reads one `volumes` entry.
pub fn read(node: &Node) -> Result<Mount, String> {
    match &node.value {
        Value::String(s) => short(s, node.line),
        Value::Map(_) => long(node),
        _ => Err(format!(
            "a volume is a string or a mapping, not {}",
            node.describe()
        )),
    }
}

/// Reads the short syntax, splitting on colons outside `${…}` and after a Windows drive letter.
pub fn short(spec: &str, line: usize) -> Result<Mount, String> {
    if spec.is_empty() {
        return Err("an empty volume".into());
    }
    // Like compose-go: one or two characters can only be a container path.
    if spec.chars().count() <= 2 {
        return Ok(Mount {
            text: spec.to_owned(),
            kind: MountType::Volume,
            source: None,
            target: spec.to_owned(),
            read_only: false,
            options: Vec::new(),
            line,
            file: None,
        });
    }
    // Split at the colons outside `${…}`, by byte offsets (every delimiter is ASCII).
    let mut fields: Vec<&str> = Vec::with_capacity(3);
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' => {
                let field = &spec[start..i];
                let mut chars = field.chars();
                let drive =
                    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
                if drive || depth > 0 {
                    continue;
                }
                if field.is_empty() {
                    return Err(format!("'{spec}' has an empty part between colons"));
                }
                fields.push(field);
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = &spec[start..];
    if last.is_empty() {
        return Err(format!("'{spec}' has an empty part between colons"));
    }
    fields.push(last);
    let (source, target, options) = match fields.as_slice() {
        [target] => (None, (*target).to_owned(), ""),
        [source, target] => (Some((*source).to_owned()), (*target).to_owned(), ""),
        [source, target, options] => (Some((*source).to_owned()), (*target).to_owned(), *options),
        _ => return Err(format!("'{spec}' has too many colons")),
    };
    let mut read_only = false;
    let mut kept = Vec::new();
    for option in options.split(',').filter(|o| !o.is_empty()) {
        match option {
            "ro" => read_only = true,
            "rw" => read_only = false,
            other => kept.push(other.to_owned()),
        }
    }
    let kind = match &source {
        Some(s) if is_host_path(s) => MountType::Bind,
        _ => MountType::Volume,
    };
    Ok(Mount {
        text: spec.to_owned(),
        kind,
        source,
        target,
        read_only,
        options: kept,
        line,
        file: None,
    })
}

fn long(node: &Node) -> Result<Mount, String> {
    let text = |key: &str| node.get(key).and_then(Node::text).map(str::to_owned);
    let kind = match text("type").as_deref() {
        Some("volume") => MountType::Volume,
        Some("bind") => MountType::Bind,
        Some("tmpfs") => MountType::Tmpfs,
        Some("image") => MountType::Image,
        Some("npipe") => MountType::Npipe,
        Some("cluster") => MountType::Cluster,
        Some(other) => {
            return Err(format!(
                "unknown mount type '{other}' (volume, bind, tmpfs, image, npipe or cluster)"
            ));
        }
        None => return Err("a long-syntax volume needs type".into()),
    };
    let target = text("target").ok_or("a long-syntax volume needs target")?;
    let source = text("source").filter(|s| !s.is_empty());
    if kind == MountType::Bind && source.is_none() {
        return Err("a bind mount needs source, the host path".into());
    }
    let read_only = node.get("read_only").and_then(Node::text) == Some("true");
    let mut options = Vec::new();
    for (section, keys) in [
        ("bind", &["propagation", "selinux", "create_host_path"][..]),
        ("volume", &["nocopy", "subpath"][..]),
        ("tmpfs", &["size", "mode"][..]),
    ] {
        for key in keys {
            if let Some(value) = node
                .get(section)
                .and_then(|s| s.get(key))
                .and_then(Node::text)
            {
                options.push(format!("{key}={value}"));
            }
        }
    }
    let mut shown = match &source {
        Some(s) => format!("{s}:{target}"),
        None => target.clone(),
    };
    if read_only {
        shown.push_str(":ro");
    }
    Ok(Mount {
        text: format!("{} {shown}", text("type").unwrap_or_default()),
        kind,
        source,
        target,
        read_only,
        options,
        line: node.line,
        file: None,
    })
}

/// Reads the service's `tmpfs` key: one path or a list, each `PATH[:OPTIONS]`.
pub fn tmpfs(node: &Node) -> Vec<Mount> {
    let one = |n: &Node| {
        n.text().map(|t| {
            let (target, options) = t.split_once(':').unwrap_or((t, ""));
            Mount {
                text: t.to_owned(),
                kind: MountType::Tmpfs,
                source: None,
                target: target.to_owned(),
                read_only: false,
                options: options
                    .split(',')
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect(),
                line: n.line,
                file: None,
            }
        })
    };
    match node.items() {
        Some(items) => items.iter().filter_map(one).collect(),
        None => one(node).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(spec: &str) -> Mount {
        short(spec, 1).unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    // compose-go format/volume_test.go: anonymous volumes, bind mounts, read-only, split cases
    // and variables with colons inside ${…}.
    #[test]
    fn conformance_with_compose_go() {
        for path in ["/path", "/path/foo"] {
            let v = m(path);
            assert_eq!(
                (v.kind, v.source.as_deref(), v.target.as_str()),
                (MountType::Volume, None, path)
            );
        }
        for path in ["./foo", "~/thing", "../other", "/foo", "/home/user"] {
            let v = m(&format!("{path}:/target"));
            assert_eq!((v.kind, v.source.as_deref()), (MountType::Bind, Some(path)));
        }
        let v = m("name:/target");
        assert_eq!(
            (v.kind, v.source.as_deref()),
            (MountType::Volume, Some("name"))
        );
        assert!(m("./foo:/target:ro").read_only);
        assert!(!m("./foo:/target:rw").read_only);
        let v = m("/tmp:/tmp/${TIME:-12:30:45}/path");
        assert_eq!(v.target, "/tmp/${TIME:-12:30:45}/path");
        let v = m("/src:/target/${VAR:-default}/path:slave,ro");
        assert!(v.read_only);
        assert_eq!(v.options, ["slave"]);
        let v = m("C:\\source:D:\\target:ro");
        assert_eq!(
            (v.kind, v.source.as_deref(), v.target.as_str()),
            (MountType::Bind, Some("C:\\source"), "D:\\target")
        );
        assert_eq!(m("/foo:/bar:ro").target, "/bar");
        for bad in ["", ":foo", "/foo::ro", "/foo:/bar:ro:extra"] {
            assert!(short(bad, 1).is_err(), "{bad}");
        }
    }

    // The long-syntax example of the Compose Specification, 05-services.md, "volumes".
    #[test]
    fn the_specifications_long_example() {
        let root = super::super::parse::parse(
            "- type: volume\n  source: db-data\n  target: /data\n  volume:\n    nocopy: true\n    subpath: sub\n- type: bind\n  source: /var/run/postgres/postgres.sock\n  target: /var/run/postgres/postgres.sock\n",
        )
        .expect("valid");
        let mounts: Vec<Mount> = root
            .items()
            .expect("list")
            .iter()
            .map(|n| read(n).expect("valid"))
            .collect();
        assert_eq!(
            (mounts[0].kind, mounts[0].source.as_deref()),
            (MountType::Volume, Some("db-data"))
        );
        assert_eq!(mounts[0].options, ["nocopy=true", "subpath=sub"]);
        assert_eq!(mounts[1].kind, MountType::Bind);
        assert_eq!(mounts[1].line, 7);
        assert!(read(&root.items().expect("list")[0].clone()).is_ok());
    }

    #[test]
    fn relative_bind_sources_are_found() {
        assert_eq!(m("./data:/data").relative_source(), Some("./data"));
        assert_eq!(m("/data:/data").relative_source(), None);
        assert_eq!(m("data:/data").relative_source(), None);
    }
}
