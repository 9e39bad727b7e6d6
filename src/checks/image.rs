//! `image.*` — what the pods run and where it comes from (checklist section U; seeds 002
//! "Update Strategies", 000 "Releases").

use super::catalogue::{def, Section};
use super::registry::{Applies, Check, Grade};
use super::{containers, Category, Context, Severity, Subject, Verdict};
use crate::cluster::Workload;
use k8s_openapi::api::core::v1::{Container, PodSpec};

const SECTION: Section = Section {
    category: Category::Rollout,
    subject: Subject::Workload,
};

pub const CHECKS: &[Check] = &[
    Check {
        def: def(
            SECTION,
            "image.tag",
            Severity::Critical,
            "Images have a fixed tag or digest",
            "an image has no tag and no digest, or the tag is `latest`",
            "`latest` (or no tag, which means latest) changes under you: two pods of one release can run different code, restarts silently upgrade, and a rollback does not go back.",
            "Use an immutable version tag, or pin the digest:\n\ncontainers:\n  - name: app\n    image: ghcr.io/acme/web:1.4.2\n    # or: ghcr.io/acme/web@sha256:<digest>",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(tag),
    },
    Check {
        def: def(
            SECTION,
            "image.digest",
            Severity::Info,
            "Images are pinned by digest",
            "an image is not pinned by digest",
            "A tag can be moved to other content (by mistake or by an attacker); a digest names exactly one image, so every node runs the bytes that were tested.",
            "Pin the digest (tools such as crane or skopeo print it):\n\nimage: ghcr.io/acme/web:1.4.2@sha256:<digest>",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(digest),
    },
    Check {
        def: def(
            SECTION,
            "image.pull-policy",
            Severity::Info,
            "Mutable tags are always pulled",
            "imagePullPolicy is not Always for an image not pinned by digest",
            "With IfNotPresent a node keeps whatever it pulled first under a tag: after the tag moves, pods on different nodes run different images.",
            "Pull mutable tags every time, or pin the digest (then any policy is fine):\n\ncontainers:\n  - name: app\n    image: ghcr.io/acme/web:1.4.2\n    imagePullPolicy: Always",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(pull_policy),
    },
    Check {
        def: def(
            SECTION,
            "image.registry",
            Severity::Warning,
            "Images come from allowed registries",
            "an image's registry is not in the configured allow-list (n/a when no list is configured)",
            "Images from registries outside the organisation's control skip its scanning, signing and availability guarantees; a public registry can also rate-limit or vanish.",
            "Mirror the image into an allowed registry and use that:\n\ncontainers:\n  - name: app\n    image: registry.acme.internal/mirror/nginx:1.27",
        ),
        applies: Applies::Always,
        needs: &[],
        reads: &[],
        grade: Grade::Template(registry),
    },
];

/// An image reference taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef {
    /// Registry host (with port), docker.io when implicit.
    pub registry: String,
    /// Repository path, with `library/` for official Docker Hub images.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string()).filter(|d| !d.is_empty())),
            None => (image, None),
        };
        // A tag follows the last ':' that comes after the last '/' (a ':' before a '/' is a
        // registry port: `registry:5000/app` has no tag).
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
            _ => (rest, None),
        };
        let tag = tag.filter(|t| !t.is_empty()).map(str::to_string);
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_ascii_lowercase(), path.to_string())
            }
            _ => ("docker.io".to_string(), name.to_string()),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
            _ => registry,
        };
        let repository = if registry == "docker.io" && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// `registry/repository`, without tag or digest.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    fn mutable(&self) -> bool {
        self.digest.is_none()
    }
}

fn image_of(c: &Container) -> &str {
    c.image.as_deref().unwrap_or_default()
}

/// Normalises an allow-list entry the way image references are normalised.
fn normalise_entry(entry: &str) -> String {
    let e = entry.trim().trim_end_matches('/').to_ascii_lowercase();
    for alias in ["index.docker.io", "registry-1.docker.io"] {
        if let Some(rest) = e.strip_prefix(alias) {
            if rest.is_empty() || rest.starts_with('/') {
                return format!("docker.io{rest}");
            }
        }
    }
    e
}

fn allowed(image: &ImageRef, entries: &[String]) -> bool {
    let full = image.full_name().to_ascii_lowercase();
    entries.iter().any(|e| {
        let e = normalise_entry(e);
        !e.is_empty() && (full == e || full.starts_with(&format!("{e}/")))
    })
}

/// Every container with its image taken apart.
fn images(spec: &PodSpec) -> Vec<(&Container, ImageRef)> {
    containers(spec)
        .map(|c| (c.container, ImageRef::parse(image_of(c.container))))
        .collect()
}

fn tag(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let mut failing = Vec::new();
    let mut details = Vec::new();
    for (c, img) in &images(spec) {
        if img.digest.is_some() {
            continue;
        }
        match img.tag.as_deref() {
            None if image_of(c).trim().is_empty() => {
                details.push(format!("{} names no image", c.name));
                failing.push(c.name.clone());
            }
            None => {
                details.push(format!(
                    "{} uses {} with no tag (it means latest)",
                    c.name,
                    image_of(c)
                ));
                failing.push(c.name.clone());
            }
            Some("latest") => {
                details.push(format!("{} uses {}", c.name, image_of(c)));
                failing.push(c.name.clone());
            }
            Some(_) => {}
        }
    }
    if failing.is_empty() {
        Verdict::pass("every image has a fixed tag or a digest")
    } else {
        Verdict::fail(format!(
            "{}: the image can change under the same name",
            details.join("; ")
        ))
        .containers(failing)
    }
}

fn digest(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let all = images(spec);
    let unpinned: Vec<&(&Container, ImageRef)> = all.iter().filter(|(_, i)| i.mutable()).collect();
    if unpinned.is_empty() {
        return Verdict::pass("every image is pinned by digest");
    }
    let list: Vec<String> = unpinned
        .iter()
        .map(|(c, _)| format!("{} ({})", c.name, image_of(c)))
        .collect();
    Verdict::fail(format!("not pinned by digest: {}", list.join(", ")))
        .containers(unpinned.iter().map(|(c, _)| c.name.clone()).collect())
}

/// A digest is as good as Always.
fn pull_policy(_: &Workload, spec: &PodSpec, _: &Context) -> Verdict {
    let all = images(spec);
    let unpinned: Vec<&(&Container, ImageRef)> = all.iter().filter(|(_, i)| i.mutable()).collect();
    let mut failing = Vec::new();
    let mut details = Vec::new();
    for (c, img) in &unpinned {
        let default = match img.tag.as_deref() {
            None | Some("latest") => "Always",
            Some(_) => "IfNotPresent",
        };
        let policy = c.image_pull_policy.as_deref().unwrap_or(default);
        if policy != "Always" {
            let how = if c.image_pull_policy.is_none() {
                " (the default for a tagged image)"
            } else {
                ""
            };
            details.push(format!(
                "{} pulls {} with imagePullPolicy {policy}{how}",
                c.name,
                image_of(c)
            ));
            failing.push(c.name.clone());
        }
    }
    if unpinned.is_empty() {
        Verdict::pass("every image is pinned by digest, so any pull policy gets the same image")
    } else if failing.is_empty() {
        Verdict::pass("images not pinned by digest are pulled with imagePullPolicy Always")
    } else {
        Verdict::fail(format!(
            "{}: nodes keep whatever they pulled first under that tag",
            details.join("; ")
        ))
        .containers(failing)
    }
}

fn registry(_: &Workload, spec: &PodSpec, cx: &Context) -> Verdict {
    let entries = &cx.config.registries;
    if entries.is_empty() {
        return Verdict::na("no registry allow-list is configured");
    }
    let all = images(spec);
    let outside: Vec<&(&Container, ImageRef)> =
        all.iter().filter(|(_, i)| !allowed(i, entries)).collect();
    if outside.is_empty() {
        return Verdict::pass("every image comes from an allowed registry");
    }
    let list: Vec<String> = outside
        .iter()
        .map(|(c, i)| format!("{} pulls from {}", c.name, i.full_name()))
        .collect();
    Verdict::fail(format!(
        "{}, outside the allowed registries ({})",
        list.join("; "),
        entries.join(", ")
    ))
    .containers(outside.iter().map(|(c, _)| c.name.clone()).collect())
}
