//! Image references (`ghcr.io/acme/app:v1@sha256:…`): the grammar Docker itself uses, with its
//! error cases, and the normalisation `docker pull` applies.
//!
//! The grammar is the one of the `distribution/reference` Go library:
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path
//! domain     := host [ ":" port ]          host: DNS-like name, IPv4, or [IPv6]
//! path       := component ( "/" component )*
//! component  := [a-z0-9]+ ( separator [a-z0-9]+ )*     separator: "." "_" "__" "-"+
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex{32,}     algorithm: sha256, sha384 or sha512 to be usable
//! ```

use std::fmt;

use crate::render::quote;

/// Docker Hub's registry name, the default.
pub const DEFAULT_REGISTRY: &str = "docker.io";
/// Docker Hub's legacy name, normalised to [`DEFAULT_REGISTRY`].
const LEGACY_REGISTRY: &str = "index.docker.io";
/// The namespace of official images on Docker Hub.
const OFFICIAL_NAMESPACE: &str = "library/";
/// The tag `docker pull` uses when none is given.
pub const DEFAULT_TAG: &str = "latest";
/// The longest name (domain and path) allowed.
const MAX_NAME_LEN: usize = 255;

/// A reference as written, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    /// Everything before the tag and digest.
    pub name: &'a str,
    /// The registry host (and port), when the name starts with one.
    pub domain: Option<&'a str>,
    /// The repository path within the registry.
    pub path: &'a str,
    /// The tag after `:`.
    pub tag: Option<&'a str>,
    /// The digest after `@`, such as `sha256:…`.
    pub digest: Option<&'a str>,
}

/// Which rule a reference breaks. The variants follow the Go library's error values, so the
/// upstream test tables can be checked; [`ReferenceError`] adds where and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The reference is empty.
    NameEmpty,
    /// The reference does not fit the grammar.
    InvalidFormat,
    /// The reference would fit the grammar if it were lowercase.
    NameContainsUppercase,
    /// The name is over 255 characters.
    NameTooLong,
    /// The digest's hex part has the wrong length for its algorithm.
    DigestInvalidLength,
    /// The digest's algorithm is not one Docker supports.
    DigestUnsupported,
    /// The digest is malformed.
    DigestInvalidFormat,
    /// A 64-character hex string, which Docker reserves for image IDs.
    HexIdentifier,
}

/// A reference that cannot be parsed, with a message saying what rule it breaks and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// Which rule.
    pub kind: ErrorKind,
    /// One line for people.
    pub message: String,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReferenceError {}

fn error(kind: ErrorKind, message: impl Into<String>) -> ReferenceError {
    ReferenceError {
        kind,
        message: message.into(),
    }
}

/// Parses a reference exactly as written, as the Go library's `Parse` does: the first path
/// element is taken as the domain whenever it is a valid host name.
pub fn parse(input: &str) -> Result<Reference<'_>, ReferenceError> {
    if input.is_empty() {
        return Err(error(
            ErrorKind::NameEmpty,
            "the reference is empty: a repository name needs at least one component",
        ));
    }
    let Some(reference) = split(input) else {
        let lowered = input.to_lowercase();
        if split(&lowered).is_some() {
            return Err(error(
                ErrorKind::NameContainsUppercase,
                format!(
                    "{}: repository names must be lowercase",
                    diagnose_case(input)
                ),
            ));
        }
        return Err(error(ErrorKind::InvalidFormat, diagnose(input)));
    };
    if reference.name.len() > MAX_NAME_LEN {
        return Err(error(
            ErrorKind::NameTooLong,
            format!(
                "the repository name is {} characters long; the limit is {MAX_NAME_LEN}",
                reference.name.len()
            ),
        ));
    }
    if let Some(digest) = reference.digest {
        check_digest(digest)?;
    }
    Ok(reference)
}

/// Splits and checks the grammar; `None` when the input does not fit it.
fn split(input: &str) -> Option<Reference<'_>> {
    let (rest, digest) = match input.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (input, None),
    };
    if digest.is_some_and(|d| !is_digest_shaped(d)) {
        return None;
    }
    // A tag follows the last ':' that comes after the last '/': a ':' before it belongs to the
    // domain's port, and a name cannot end in a port.
    let last_slash = rest.rfind('/');
    let (name, tag) = match rest.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (&rest[..colon], Some(&rest[colon + 1..]))
        }
        _ => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return None;
    }
    let (domain, path) = split_name(name)?;
    Some(Reference {
        name,
        domain,
        path,
        tag,
        digest,
    })
}

/// `[domain "/"] path`, preferring a domain whenever the first element is one.
fn split_name(name: &str) -> Option<(Option<&str>, &str)> {
    if let Some((first, rest)) = name.split_once('/')
        && is_domain(first)
        && is_path(rest)
    {
        return Some((Some(first), rest));
    }
    is_path(name).then_some((None, name))
}

fn is_path(path: &str) -> bool {
    path.split('/').all(is_path_component)
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or any run of `-`.
fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !valid {
            return false;
        }
    }
    true
}

/// A host (DNS-like name, IPv4, or bracketed IPv6) with an optional `:port`.
fn is_domain(domain: &str) -> bool {
    let (host, port) = if let Some(inner) = domain.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return false;
        };
        let address = &inner[..close];
        let after = &inner[close + 1..];
        let valid =
            !address.is_empty() && address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
        if !valid {
            return false;
        }
        match after {
            "" => return true,
            _ => match after.strip_prefix(':') {
                Some(port) => ("", Some(port)),
                None => return false,
            },
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (domain, None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok =
        host.is_empty() && domain.starts_with('[') || host.split('.').all(is_domain_component);
    port_ok && host_ok
}

/// `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn is_domain_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`.
fn is_digest_shaped(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        let bytes = part.as_bytes();
        !bytes.is_empty()
            && bytes[0].is_ascii_alphabetic()
            && bytes.iter().all(u8::is_ascii_alphanumeric)
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The checks `docker pull` makes on a well-shaped digest: a supported algorithm, the right
/// length for it, and lowercase hex.
fn check_digest(digest: &str) -> Result<(), ReferenceError> {
    let (algorithm, hex) = digest.split_once(':').unwrap_or((digest, ""));
    let expected = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            return Err(error(
                ErrorKind::DigestUnsupported,
                format!(
                    "unsupported digest algorithm '{}': Docker accepts sha256, sha384 and sha512",
                    quote(algorithm)
                ),
            ));
        }
    };
    if hex.len() != expected {
        return Err(error(
            ErrorKind::DigestInvalidLength,
            format!(
                "the {} digest has {} hex digits; it must have exactly {expected}",
                quote(algorithm),
                hex.len()
            ),
        ));
    }
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(error(
            ErrorKind::DigestInvalidFormat,
            "the digest's hex digits must be lowercase (0-9, a-f)",
        ));
    }
    Ok(())
}

/// Says which part of an invalid reference breaks which rule, for the error message.
fn diagnose(input: &str) -> String {
    let prefix = "invalid reference format";
    let (rest, digest) = match input.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (input, None),
    };
    if let Some(digest) = digest {
        if digest.contains('@') {
            return format!("{prefix}: '@' may appear only once, before the digest");
        }
        if !is_digest_shaped(digest) {
            return format!(
                "{prefix}: digest '{}' must be ALGORITHM:HEX, such as sha256: followed by 64 hex digits",
                quote(digest)
            );
        }
    }
    if rest.is_empty() {
        return format!("{prefix}: the repository name before the tag or digest is empty");
    }
    let last_slash = rest.rfind('/');
    let (name, tag) = match rest.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (&rest[..colon], Some(&rest[colon + 1..]))
        }
        _ => (rest, None),
    };
    if let Some(tag) = tag
        && !is_tag(tag)
    {
        return if tag.is_empty() {
            format!("{prefix}: the tag after ':' is empty")
        } else if tag.len() > 128 {
            format!(
                "{prefix}: tag is {} characters long; the limit is 128",
                tag.len()
            )
        } else {
            format!(
                "{prefix}: tag '{tag}' may use only letters, digits, '_', '.' and '-', and may not start with '.' or '-'"
            )
        };
    }
    if name.is_empty() {
        return format!("{prefix}: the repository name before ':' is empty");
    }
    let mut components = name.split('/').enumerate();
    if let Some((first, _)) = name.split_once('/')
        && (first.contains(['.', ':', '[']) || first == "localhost")
        && !is_domain(first)
    {
        return format!(
            "{prefix}: registry host '{}' is not a valid host name, IPv4 address or [IPv6] address with an optional numeric port",
            quote(first)
        );
    }
    let skip_domain = name
        .split_once('/')
        .is_some_and(|(first, _)| is_domain(first));
    if skip_domain {
        components.next();
    }
    for (position, component) in components {
        if !is_path_component(component) {
            let which = format!("path component {} ('{}')", position + 1, quote(component));
            return if component.is_empty() {
                format!(
                    "{prefix}: {which} is empty (two '/' in a row, or a '/' at the start or end)"
                )
            } else {
                format!(
                    "{prefix}: {which} may contain only lowercase letters and digits, separated by '.', '_', '__' or dashes, and must start and end with a letter or digit"
                )
            };
        }
    }
    format!("{prefix}: it does not match NAME[:TAG][@DIGEST]")
}

/// Names the part of the reference that has uppercase letters.
fn diagnose_case(input: &str) -> String {
    let name = input.split(['@']).next().unwrap_or(input);
    let name = match name.rfind(':') {
        Some(colon) if name.rfind('/').is_none_or(|slash| colon > slash) => &name[..colon],
        _ => name,
    };
    let upper = name
        .split('/')
        .find(|component| component.chars().any(|c| c.is_ascii_uppercase()))
        .unwrap_or(name);
    format!("'{}' contains uppercase letters", quote(upper))
}

/// A reference as `docker pull` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized<'a> {
    /// What was written.
    pub written: Reference<'a>,
    /// The registry, `docker.io` when none is written.
    pub registry: String,
    /// The repository path, with `library/` for official images on Docker Hub.
    pub path: String,
}

impl Normalized<'_> {
    /// `registry/path`, such as `docker.io/library/python`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.path)
    }

    /// The short name Docker shows: without `docker.io/` and `library/`.
    pub fn familiar(&self) -> String {
        if self.registry != DEFAULT_REGISTRY {
            return self.full_name();
        }
        match self.path.strip_prefix(OFFICIAL_NAMESPACE) {
            Some(rest) if !rest.contains('/') => rest.to_owned(),
            _ => self.path.clone(),
        }
    }

    /// Whether this is an official image: Docker Hub's `library/` namespace.
    pub fn is_official(&self) -> bool {
        self.registry == DEFAULT_REGISTRY
            && self
                .path
                .strip_prefix(OFFICIAL_NAMESPACE)
                .is_some_and(|rest| !rest.contains('/'))
    }

    /// What `docker pull` fetches: by digest when there is one (a tag beside it is ignored),
    /// else by tag, `latest` by default.
    pub fn pull_reference(&self) -> String {
        match (self.written.digest, self.written.tag) {
            (Some(digest), _) => format!("{}@{digest}", self.full_name()),
            (None, Some(tag)) => format!("{}:{tag}", self.full_name()),
            (None, None) => format!("{}:{DEFAULT_TAG}", self.full_name()),
        }
    }
}

/// Parses a reference the way `docker pull` and `docker run` do (the Go library's
/// `ParseNormalizedNamed`): Docker Hub is the default registry, `index.docker.io` means
/// `docker.io`, one-element names on Docker Hub are official images under `library/`.
pub fn parse_normalized(input: &str) -> Result<Normalized<'_>, ReferenceError> {
    if input.len() == 64
        && input
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(error(
            ErrorKind::HexIdentifier,
            "a 64-character hex string is an image ID, not a repository name",
        ));
    }
    let written = parse(input)?;
    let (first, rest) = match written.name.split_once('/') {
        Some((first, rest)) => (first, Some(rest)),
        None => (written.name, None),
    };
    let (registry, path) = match rest {
        None => (DEFAULT_REGISTRY, written.name),
        Some(rest) if first == "localhost" => (first, rest),
        Some(rest) if first == LEGACY_REGISTRY => (DEFAULT_REGISTRY, rest),
        Some(rest) if first.contains(['.', ':']) => (first, rest),
        Some(rest) if first.chars().any(|c| c.is_ascii_uppercase()) => (first, rest),
        Some(_) => (DEFAULT_REGISTRY, written.name),
    };
    // Docker re-checks the combination: a first element it did not take as a registry must be
    // a valid path component.
    if registry == DEFAULT_REGISTRY && !is_path(path) {
        let diagnosis = if path.chars().any(|c| c.is_ascii_uppercase()) {
            ErrorKind::NameContainsUppercase
        } else {
            ErrorKind::InvalidFormat
        };
        return Err(error(diagnosis, diagnose(path)));
    }
    let path = if registry == DEFAULT_REGISTRY && !path.contains('/') {
        format!("{OFFICIAL_NAMESPACE}{path}")
    } else {
        path.to_owned()
    };
    if registry.len() + 1 + path.len() > MAX_NAME_LEN {
        return Err(error(
            ErrorKind::NameTooLong,
            format!("the full repository name {registry}/{path} is over {MAX_NAME_LEN} characters"),
        ));
    }
    Ok(Normalized {
        written,
        registry: registry.to_owned(),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX64: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    /// Expected domain, name, tag and digest.
    type Parts<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);

    /// One row of the upstream `TestReferenceParse` table: input, then expected domain, path
    /// (repository without domain), tag and digest, or the error.
    fn check(input: &str, expected: Result<Parts<'_>, ErrorKind>) {
        match (parse(input), expected) {
            (Ok(r), Ok((domain, name, tag, digest))) => {
                assert_eq!(r.domain, domain, "domain of {input}");
                assert_eq!(r.name, name, "name of {input}");
                assert_eq!(r.tag, tag, "tag of {input}");
                assert_eq!(r.digest, digest, "digest of {input}");
            }
            (Err(e), Err(kind)) => assert_eq!(e.kind, kind, "{input}: {}", e.message),
            (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn upstream_reference_parse_table() {
        let digest = format!("sha256:{HEX64}");
        let d = Some(digest.as_str());
        check("test_com", Ok((None, "test_com", None, None)));
        check("test.com:tag", Ok((None, "test.com", Some("tag"), None)));
        check("test.com:5000", Ok((None, "test.com", Some("5000"), None)));
        check(
            "test.com/repo:tag",
            Ok((Some("test.com"), "test.com/repo", Some("tag"), None)),
        );
        check(
            "test:5000/repo",
            Ok((Some("test:5000"), "test:5000/repo", None, None)),
        );
        check(
            "test:5000/repo:tag",
            Ok((Some("test:5000"), "test:5000/repo", Some("tag"), None)),
        );
        check(
            &format!("test:5000/repo@{digest}"),
            Ok((Some("test:5000"), "test:5000/repo", None, d)),
        );
        check(
            &format!("test:5000/repo:tag@{digest}"),
            Ok((Some("test:5000"), "test:5000/repo", Some("tag"), d)),
        );
        check("", Err(ErrorKind::NameEmpty));
        check(":justtag", Err(ErrorKind::InvalidFormat));
        check(&format!("@{digest}"), Err(ErrorKind::InvalidFormat));
        check(
            "repo@sha256:ffffffffffffffffffffffffffffffffff",
            Err(ErrorKind::DigestInvalidLength),
        );
        check(
            &format!("validname@invaliddigest:{HEX64}"),
            Err(ErrorKind::DigestUnsupported),
        );
        check("Uppercase:tag", Err(ErrorKind::NameContainsUppercase));
        check(
            "test:5000/Uppercase/lowercase:tag",
            Err(ErrorKind::NameContainsUppercase),
        );
        check(
            "lowercase:Uppercase",
            Ok((None, "lowercase", Some("Uppercase"), None)),
        );
        check(
            &format!("{}a:tag", "a/".repeat(128)),
            Err(ErrorKind::NameTooLong),
        );
        let long = format!("{}a", "a/".repeat(127));
        check(
            &format!("{long}:tag-puts-this-over-max"),
            Ok((Some("a"), &long, Some("tag-puts-this-over-max"), None)),
        );
        check("aa/asdf$$^/aa", Err(ErrorKind::InvalidFormat));
        check(
            "sub-dom1.foo.com/bar/baz/quux",
            Ok((
                Some("sub-dom1.foo.com"),
                "sub-dom1.foo.com/bar/baz/quux",
                None,
                None,
            )),
        );
        check(
            "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
            Ok((
                Some("sub-dom1.foo.com"),
                "sub-dom1.foo.com/bar/baz/quux",
                Some("some-long-tag"),
                None,
            )),
        );
        check(
            "b.gcr.io/test.example.com/my-app:test.example.com",
            Ok((
                Some("b.gcr.io"),
                "b.gcr.io/test.example.com/my-app",
                Some("test.example.com"),
                None,
            )),
        );
        check(
            "xn--n3h.com/myimage:xn--n3h.com",
            Ok((
                Some("xn--n3h.com"),
                "xn--n3h.com/myimage",
                Some("xn--n3h.com"),
                None,
            )),
        );
        let sha512 = format!("sha512:{HEX64}{HEX64}");
        check(
            &format!("xn--7o8h.com/myimage:xn--7o8h.com@{sha512}"),
            Ok((
                Some("xn--7o8h.com"),
                "xn--7o8h.com/myimage",
                Some("xn--7o8h.com"),
                Some(sha512.as_str()),
            )),
        );
        check(
            "foo_bar.com:8080",
            Ok((None, "foo_bar.com", Some("8080"), None)),
        );
        check(
            "foo/foo_bar.com:8080",
            Ok((Some("foo"), "foo/foo_bar.com", Some("8080"), None)),
        );
        check("192.168.1.1", Ok((None, "192.168.1.1", None, None)));
        check(
            "192.168.1.1:tag",
            Ok((None, "192.168.1.1", Some("tag"), None)),
        );
        check(
            "192.168.1.1:5000",
            Ok((None, "192.168.1.1", Some("5000"), None)),
        );
        check(
            "192.168.1.1/repo",
            Ok((Some("192.168.1.1"), "192.168.1.1/repo", None, None)),
        );
        check(
            "192.168.1.1:5000/repo",
            Ok((
                Some("192.168.1.1:5000"),
                "192.168.1.1:5000/repo",
                None,
                None,
            )),
        );
        check(
            "192.168.1.1:5000/repo:5050",
            Ok((
                Some("192.168.1.1:5000"),
                "192.168.1.1:5000/repo",
                Some("5050"),
                None,
            )),
        );
        check("[2001:db8::1]", Err(ErrorKind::InvalidFormat));
        check("[2001:db8::1]:5000", Err(ErrorKind::InvalidFormat));
        check("[2001:db8::1]:tag", Err(ErrorKind::InvalidFormat));
        check(
            "[2001:db8::1]/repo",
            Ok((Some("[2001:db8::1]"), "[2001:db8::1]/repo", None, None)),
        );
        check(
            "[2001:db8:1:2:3:4:5:6]/repo:tag",
            Ok((
                Some("[2001:db8:1:2:3:4:5:6]"),
                "[2001:db8:1:2:3:4:5:6]/repo",
                Some("tag"),
                None,
            )),
        );
        check(
            "[2001:db8::1]:5000/repo",
            Ok((
                Some("[2001:db8::1]:5000"),
                "[2001:db8::1]:5000/repo",
                None,
                None,
            )),
        );
        check(
            "[2001:db8::1]:5000/repo:tag",
            Ok((
                Some("[2001:db8::1]:5000"),
                "[2001:db8::1]:5000/repo",
                Some("tag"),
                None,
            )),
        );
        check(
            &format!("[2001:db8::1]:5000/repo@{digest}"),
            Ok((
                Some("[2001:db8::1]:5000"),
                "[2001:db8::1]:5000/repo",
                None,
                d,
            )),
        );
        check(
            &format!("[2001:db8::1]:5000/repo:tag@{digest}"),
            Ok((
                Some("[2001:db8::1]:5000"),
                "[2001:db8::1]:5000/repo",
                Some("tag"),
                d,
            )),
        );
        check(
            "[2001:db8::]:5000/repo",
            Ok((
                Some("[2001:db8::]:5000"),
                "[2001:db8::]:5000/repo",
                None,
                None,
            )),
        );
        check(
            "[::1]:5000/repo",
            Ok((Some("[::1]:5000"), "[::1]:5000/repo", None, None)),
        );
        check("[fe80::1%eth0]:5000/repo", Err(ErrorKind::InvalidFormat));
        check(
            "[fe80::1%@invalidzone]:5000/repo",
            Err(ErrorKind::InvalidFormat),
        );
    }

    #[test]
    fn upstream_domain_and_path_table() {
        for (input, domain, path) in [
            ("test.com/foo", Some("test.com"), "foo"),
            ("test_com/foo", None, "test_com/foo"),
            ("test:8080/foo", Some("test:8080"), "foo"),
            ("test.com:8080/foo", Some("test.com:8080"), "foo"),
            ("test-com:8080/foo", Some("test-com:8080"), "foo"),
            ("xn--n3h.com:18080/foo", Some("xn--n3h.com:18080"), "foo"),
        ] {
            let r = parse(input).expect(input);
            assert_eq!((r.domain, r.path), (domain, path), "{input}");
        }
    }

    #[test]
    fn upstream_valid_and_invalid_names_when_normalised() {
        for valid in [
            "docker/docker",
            "library/debian",
            "debian",
            "docker.io/docker/docker",
            "docker.io/library/debian",
            "docker.io/debian",
            "index.docker.io/docker/docker",
            "index.docker.io/library/debian",
            "index.docker.io/debian",
            "127.0.0.1:5000/docker/docker",
            "127.0.0.1:5000/library/debian",
            "127.0.0.1:5000/debian",
            "192.168.0.1",
            "192.168.0.1:80",
            "192.168.0.1:8/debian",
            "192.168.0.2:25000/debian",
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "[fc00::1]:5000/docker",
            "[fc00::1]:5000/docker/docker",
            "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
            "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "Docker/docker",
            "DOCKER/docker",
            "docker-rules/docker",
            "docker---rules/docker",
            "doc/docker",
            "d/docker",
            "jess/t",
            "dock__er/docker",
        ] {
            assert!(
                parse_normalized(valid).is_ok(),
                "{valid} should be valid: {:?}",
                parse_normalized(valid)
            );
        }
        for invalid in [
            "https://github.com/docker/docker",
            "docker/Docker",
            "-docker",
            "-docker/docker",
            "-docker.io/docker/docker",
            "docker///docker",
            "docker.io/docker/Docker",
            "docker.io/docker///docker",
            "[fc00::1]",
            "[fc00::1]:5000",
            "fc00::1:5000/debian",
            "[fe80::1%eth0]:5000/debian",
            "[2001:db8:3:4::192.0.2.33]:5000/debian",
            "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "docker-/docker",
            "-docker-/docker",
            "____/____",
            "_docker/_docker",
            "dock..er/docker",
            "dock_.er/docker",
            "dock-.er/docker",
            "docker/",
            "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
        ] {
            assert!(
                parse_normalized(invalid).is_err(),
                "{invalid} should be invalid"
            );
        }
    }

    #[test]
    fn upstream_repository_info_table() {
        // (forms that all mean the same, familiar name, full name, registry, path)
        for (forms, familiar, full, registry, path) in [
            (
                &["fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar"][..],
                "fooo/bar",
                "docker.io/fooo/bar",
                "docker.io",
                "fooo/bar",
            ),
            (
                &["ubuntu", "docker.io/library/ubuntu", "library/ubuntu"],
                "ubuntu",
                "docker.io/library/ubuntu",
                "docker.io",
                "library/ubuntu",
            ),
            (
                &["nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu"],
                "nonlibrary/ubuntu",
                "docker.io/nonlibrary/ubuntu",
                "docker.io",
                "nonlibrary/ubuntu",
            ),
            (
                &["other/library", "docker.io/other/library"],
                "other/library",
                "docker.io/other/library",
                "docker.io",
                "other/library",
            ),
            (
                &["127.0.0.1:8000/private/moonbase"],
                "127.0.0.1:8000/private/moonbase",
                "127.0.0.1:8000/private/moonbase",
                "127.0.0.1:8000",
                "private/moonbase",
            ),
            (
                &["127.0.0.1:8000/privatebase"],
                "127.0.0.1:8000/privatebase",
                "127.0.0.1:8000/privatebase",
                "127.0.0.1:8000",
                "privatebase",
            ),
            (
                &["example.com/private/moonbase"],
                "example.com/private/moonbase",
                "example.com/private/moonbase",
                "example.com",
                "private/moonbase",
            ),
            (
                &["example.com:8000/privatebasee"],
                "example.com:8000/privatebasee",
                "example.com:8000/privatebasee",
                "example.com:8000",
                "privatebasee",
            ),
            (
                &[
                    "ubuntu-12.04-base",
                    "docker.io/library/ubuntu-12.04-base",
                    "index.docker.io/library/ubuntu-12.04-base",
                ],
                "ubuntu-12.04-base",
                "docker.io/library/ubuntu-12.04-base",
                "docker.io",
                "library/ubuntu-12.04-base",
            ),
            (
                &["foo", "docker.io/library/foo", "docker.io/foo"],
                "foo",
                "docker.io/library/foo",
                "docker.io",
                "library/foo",
            ),
            (
                &["library/foo/bar", "docker.io/library/foo/bar"],
                "library/foo/bar",
                "docker.io/library/foo/bar",
                "docker.io",
                "library/foo/bar",
            ),
            (
                &["store/foo/bar", "docker.io/store/foo/bar"],
                "store/foo/bar",
                "docker.io/store/foo/bar",
                "docker.io",
                "store/foo/bar",
            ),
            (&["Foo/bar"], "Foo/bar", "Foo/bar", "Foo", "bar"),
            (&["FOO/bar"], "FOO/bar", "FOO/bar", "FOO", "bar"),
        ] {
            for form in forms {
                let n = parse_normalized(form).unwrap_or_else(|e| panic!("{form}: {e}"));
                assert_eq!(n.familiar(), familiar, "familiar name of {form}");
                assert_eq!(n.full_name(), full, "full name of {form}");
                assert_eq!(n.registry, registry, "registry of {form}");
                assert_eq!(n.path, path, "path of {form}");
            }
        }
    }

    #[test]
    fn docker_pull_prefers_the_digest_and_defaults_to_latest() {
        let both = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
        let n = parse_normalized(both).expect("valid");
        assert_eq!(
            n.pull_reference(),
            "docker.io/library/busybox@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
        );
        assert_eq!(
            parse_normalized("python").expect("valid").pull_reference(),
            "docker.io/library/python:latest"
        );
        let nv = parse_normalized("nvcr.io/nvidia/pytorch:24.05-py3").expect("valid");
        assert_eq!(nv.registry, "nvcr.io");
        assert_eq!(nv.path, "nvidia/pytorch");
        assert!(!nv.is_official());
        assert!(
            parse_normalized("python:3.12-slim")
                .expect("valid")
                .is_official()
        );
    }

    #[test]
    fn errors_say_what_rule_is_broken_and_where() {
        let message = |input: &str| parse_normalized(input).expect_err(input).message;
        assert!(
            message("acme/My-App").contains("'My-App'"),
            "{}",
            message("acme/My-App")
        );
        assert!(
            message("python:3.12 slim").contains("tag"),
            "{}",
            message("python:3.12 slim")
        );
        assert!(
            message("python@sha256:abc").contains("sha256"),
            "{}",
            message("python@sha256:abc")
        );
        assert!(
            message("acme//app").contains("empty"),
            "{}",
            message("acme//app")
        );
        assert!(
            message("acme/app_").contains("path component 2"),
            "{}",
            message("acme/app_")
        );
        assert!(message(&format!("python@sha256:{}", "F".repeat(64))).contains("lowercase"));
        assert!(message(&format!("python@md5:{HEX64}")).contains("unsupported"));
    }
}
