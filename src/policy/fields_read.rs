//! Which fields of a workload's pod spec, of its containers, of its metadata and of its spec an
//! expression can observe.
//!
//! Converting the workload into CEL values is a large part of what a custom check costs, and
//! most checks read a handful of fields (`c.image`, `c.resources`, `podSpec.hostNetwork`,
//! `object.metadata.labels`, `object.spec.replicas`). The pod spec, its container maps,
//! `object.metadata` and `object.spec` are converted with only the fields some expression names, where that cannot change any result:
//! a field is left out only when no expression graded on the workload can tell whether it is
//! there. An expression sees such a map's fields by name (`c.image`, `has(c.env)`,
//! `c['image']`, `'env' in c`); it sees them all when it uses the map as a whole — its size,
//! comparing it, iterating its keys, passing it to a function, returning it, a key computed at
//! run time, a policy's `variables`. Such an expression keeps every field. The analysis follows
//! the maps through comprehensions (`containers.all(c, …)`, `filter`, `map`), lists,
//! conditionals and the paths into `object` that lead to the pod template. One level further
//! down, a security context, a probe and resource requirements are pruned the same way
//! (`c.securityContext.privileged` needs one field of it; `has(c.readinessProbe)` none).

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

/// The fields of pod specs, containers, object metadata and workload specs some expression may
/// read: the whole map, or those named. A key shipshape does not list is always kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FieldsRead {
    named: Bits,
    whole: bool,
}

/// One bit per entry of [`FIELDS`].
type Bits = [u64; 3];

// Every listed field has a bit.
const _: () = assert!(FIELDS.len() <= 64 * 3);

/// The fields of `PodSpec`, `Container`, `EphemeralContainer`, `ObjectMeta` and the workload
/// specs as the API names them (the keys the conversion writes). A key missing from this list is kept whatever
/// an expression names, so the list only has to be right, not complete.
const FIELDS: &[&str] = &[
    "activeDeadlineSeconds",
    "affinity",
    "automountServiceAccountToken",
    "containers",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "ephemeralContainers",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostUsers",
    "hostname",
    "hostnameOverride",
    "imagePullSecrets",
    "initContainers",
    "nodeName",
    "nodeSelector",
    "os",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "resourceClaims",
    "resources",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "schedulingGates",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "setHostnameAsFQDN",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "tolerations",
    "topologySpreadConstraints",
    "volumes",
    "args",
    "command",
    "env",
    "envFrom",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "name",
    "ports",
    "readinessProbe",
    "resizePolicy",
    "restartPolicyRules",
    "startupProbe",
    "stdin",
    "stdinOnce",
    "targetContainerName",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
    // Workload specs (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob).
    "replicas",
    "selector",
    "template",
    "strategy",
    "minReadySeconds",
    "revisionHistoryLimit",
    "paused",
    "progressDeadlineSeconds",
    "serviceName",
    "volumeClaimTemplates",
    "podManagementPolicy",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
    "schedule",
    "timeZone",
    "startingDeadlineSeconds",
    "concurrencyPolicy",
    "suspend",
    "jobTemplate",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
    "parallelism",
    "completions",
    "podFailurePolicy",
    "successPolicy",
    "backoffLimit",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
    "manualSelector",
    "ttlSecondsAfterFinished",
    "completionMode",
    "podReplacementPolicy",
    "managedBy",
    // `SecurityContext` and `PodSecurityContext`, read one field at a time
    // (`c.securityContext.privileged`).
    "allowPrivilegeEscalation",
    "appArmorProfile",
    "capabilities",
    "privileged",
    "procMount",
    "readOnlyRootFilesystem",
    "runAsGroup",
    "runAsNonRoot",
    "runAsUser",
    "seLinuxOptions",
    "seccompProfile",
    "windowsOptions",
    "fsGroup",
    "fsGroupChangePolicy",
    "seLinuxChangePolicy",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "sysctls",
    // `Probe`: most checks ask only whether one is there (`has(c.readinessProbe)`).
    "exec",
    "failureThreshold",
    "grpc",
    "httpGet",
    "initialDelaySeconds",
    "periodSeconds",
    "successThreshold",
    "tcpSocket",
    "timeoutSeconds",
    // `ResourceRequirements`.
    "claims",
    "limits",
    "requests",
];

/// The fields of pod specs and containers whose own fields are pruned too: structs most
/// expressions read one field of, or only test for.
pub const NESTED: &[&str] = &[
    "securityContext",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "resources",
];

/// The lists of container maps in a pod spec.
const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// The fields of `object` (and of its spec, and of a CronJob's job template) on the way to a
/// pod template's spec.
const TOWARDS_POD_SPEC: &[&str] = &["spec", "template", "jobTemplate"];

/// The place of a listed field in [`FIELDS`]. A key is looked up for every field converted,
/// so in a hash table with a fast hasher for short keys (the keys are the API's field names,
/// not input an attacker picks).
fn bit(name: &str) -> Option<usize> {
    type Table = std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>;
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| FIELDS.iter().enumerate().map(|(i, f)| (*f, i)).collect())
        .get(name)
        .copied()
}

fn has(bits: &Bits, i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

impl FieldsRead {
    /// Every field: nothing is left out.
    pub const WHOLE: FieldsRead = FieldsRead {
        named: [0; 3],
        whole: true,
    };

    pub fn union(self, o: FieldsRead) -> FieldsRead {
        let mut named = self.named;
        for (word, other) in named.iter_mut().zip(o.named) {
            *word |= other;
        }
        FieldsRead {
            named,
            whole: self.whole || o.whole,
        }
    }

    /// Whether everything is kept.
    pub fn is_whole(self) -> bool {
        self.whole
    }

    /// Whether a pod spec's or container's `key` is converted.
    pub fn keeps(self, key: &str) -> bool {
        self.whole || bit(key).is_none_or(|i| has(&self.named, i))
    }

    /// What `root` may read.
    pub fn of(root: &IdedExpr) -> FieldsRead {
        let mut a = Analysis::default();
        let result = a.shape(root);
        // A result holding a pod spec or container map is reported by its type only, but
        // keeping it whole costs nothing worth the argument.
        if result != 0 {
            a.fields.whole = true;
        }
        a.fields
    }
}

/// What a value may be, as bits: a pod spec map, a container map, a list whose elements may be
/// container maps, `object` or a part of it on the way to a pod spec, `object.metadata`.
type Shape = u8;
const SPEC: Shape = 1;
const CONTAINER: Shape = 2;
const CONTAINER_LIST: Shape = 4;
const OBJECT: Shape = 8;
const METADATA: Shape = 16;
/// A struct under one of the above whose fields are pruned too (see [`NESTED`]).
const INNER: Shape = 32;
/// A map whose keys the conversion may leave out, or that holds one.
const MAP: Shape = SPEC | CONTAINER | OBJECT | METADATA | INNER;

#[derive(Default)]
struct Analysis {
    fields: FieldsRead,
    /// Comprehension variables in scope, innermost last, with what they may hold.
    scopes: Vec<(String, Shape)>,
}

impl Analysis {
    fn name(&mut self, field: &str) {
        if let Some(i) = bit(field) {
            self.fields.named[i / 64] |= 1 << (i % 64);
        }
    }

    fn whole(&mut self) {
        self.fields.whole = true;
    }

    /// Selecting `field` on a value of shape `s`.
    fn select(&mut self, s: Shape, field: &str) -> Shape {
        let mut out = 0;
        if s & (SPEC | CONTAINER | METADATA | INNER) != 0 {
            self.name(field);
        }
        // The conversion prunes these under any map it prunes: `object.spec` may be a pod
        // spec, as far as this can tell.
        if s & (MAP & !INNER) != 0 && NESTED.contains(&field) {
            out |= INNER;
        }
        if s & SPEC != 0 && CONTAINER_LISTS.contains(&field) {
            out |= CONTAINER_LIST;
        }
        if s & OBJECT != 0 && TOWARDS_POD_SPEC.contains(&field) {
            // Further down, or the pod spec itself: both, as far as this can tell.
            out |= OBJECT | SPEC;
        }
        if s & OBJECT != 0 && field == "metadata" {
            // The object's own metadata, or a pod template's (converted whole): the first
            // is left with the fields named.
            out |= METADATA;
        }
        if s & CONTAINER_LIST != 0 {
            // A field of a list is an error whose text may show the list.
            self.whole();
        }
        out
    }

    fn shape(&mut self, e: &IdedExpr) -> Shape {
        match &e.expr {
            Expr::Unspecified | Expr::Literal(_) => 0,
            Expr::Ident(name) => {
                if let Some((_, s)) = self.scopes.iter().rev().find(|(n, _)| n == name) {
                    return *s;
                }
                match name.as_str() {
                    "podSpec" => SPEC,
                    "containers" => CONTAINER_LIST,
                    "object" => OBJECT,
                    // A policy's variables may hold any part of the object.
                    "variables" => {
                        self.whole();
                        0
                    }
                    _ => 0,
                }
            }
            Expr::Select(s) => {
                let operand = self.shape(&s.operand);
                let out = self.select(operand, &s.field);
                if s.test {
                    0
                } else {
                    out
                }
            }
            Expr::List(l) => {
                let mut elements = 0;
                for x in &l.elements {
                    elements |= self.shape(x);
                }
                if elements & (SPEC | OBJECT | METADATA | INNER | CONTAINER_LIST) != 0 {
                    self.whole();
                }
                if elements & CONTAINER != 0 {
                    CONTAINER_LIST
                } else {
                    0
                }
            }
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        if self.shape(&me.key) | self.shape(&me.value) != 0 {
                            self.whole();
                        }
                    }
                }
                0
            }
            Expr::Struct(_) => {
                self.whole();
                0
            }
            Expr::Comprehension(c) => {
                let range = self.shape(&c.iter_range);
                if range & MAP != 0 {
                    // Iterating a map walks its keys.
                    self.whole();
                }
                let element = if range & CONTAINER_LIST != 0 {
                    CONTAINER
                } else {
                    0
                };
                let init = self.shape(&c.accu_init);
                let depth = self.scopes.len();
                match &c.iter_var2 {
                    // `all(i, v, …)` on a list: the index, then the element.
                    Some(second) => {
                        self.scopes.push((c.iter_var.clone(), 0));
                        self.scopes.push((second.clone(), element));
                    }
                    None => self.scopes.push((c.iter_var.clone(), element)),
                }
                // The accumulator holds what it started with and whatever a step made of it.
                let mut accu = init;
                for _ in 0..4 {
                    self.scopes.push((c.accu_var.clone(), accu));
                    if self.shape(&c.loop_cond) != 0 {
                        self.whole();
                    }
                    let step = self.shape(&c.loop_step);
                    self.scopes.pop();
                    if accu | step == accu {
                        break;
                    }
                    accu |= step;
                }
                self.scopes.push((c.accu_var.clone(), accu));
                let result = self.shape(&c.result);
                self.scopes.truncate(depth);
                result
            }
            Expr::Call(call) => {
                let target = call.target.as_ref().map(|t| self.shape(t));
                let args: Vec<Shape> = call.args.iter().map(|a| self.shape(a)).collect();
                // With a target, `x.f(a)` is `f(x, a)` for what follows.
                let all: Vec<Shape> = target.into_iter().chain(args.iter().copied()).collect();
                let operands: Vec<&IdedExpr> = call
                    .target
                    .iter()
                    .map(|t| &**t)
                    .chain(call.args.iter())
                    .collect();
                self.call(call.func_name.as_str(), &all, &operands)
            }
        }
    }

    fn call(&mut self, name: &str, shapes: &[Shape], operands: &[&IdedExpr]) -> Shape {
        let literal = |i: usize| -> Option<&str> {
            match operands.get(i).map(|e| &e.expr) {
                Some(Expr::Literal(LiteralValue::String(s))) => Some(s.as_ref()),
                _ => None,
            }
        };
        let is_literal =
            |i: usize| matches!(operands.get(i).map(|e| &e.expr), Some(Expr::Literal(_)));
        let shape = |i: usize| shapes.get(i).copied().unwrap_or(0);
        match name {
            "_?_:_" => {
                if shape(0) != 0 {
                    self.whole();
                }
                shape(1) | shape(2)
            }
            "_[_]" => {
                let (on, index) = (shape(0), shape(1));
                if index != 0 {
                    self.whole();
                }
                let mut out = 0;
                if on & CONTAINER_LIST != 0 {
                    out |= CONTAINER;
                }
                if on & MAP != 0 {
                    match literal(1) {
                        Some(field) => out |= self.select(on & MAP, field),
                        None => self.whole(),
                    }
                }
                out
            }
            "@in" => {
                let (item, within) = (shape(0), shape(1));
                if item != 0 {
                    self.whole();
                }
                if within & MAP != 0 {
                    // `'env' in c` asks for one key by name.
                    match literal(0) {
                        Some(field) => {
                            self.select(within & MAP, field);
                        }
                        None => self.whole(),
                    }
                }
                // A literal compares unequal to every map, whatever its keys.
                if within & CONTAINER_LIST != 0 && !is_literal(0) {
                    self.whole();
                }
                0
            }
            "size" => {
                // A list's length does not depend on its maps' keys.
                if shapes.iter().any(|s| s & MAP != 0) {
                    self.whole();
                }
                0
            }
            "_+_" => {
                let joined = shape(0) | shape(1);
                if joined & MAP != 0 {
                    self.whole();
                }
                joined
            }
            _ => {
                if shapes.iter().any(|s| *s != 0) {
                    self.whole();
                }
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(source: &str) -> FieldsRead {
        let program = crate::policy::cel::env().compile(source).unwrap();
        FieldsRead::of(program.expression())
    }

    fn named(source: &str) -> Vec<&'static str> {
        let f = fields(source);
        assert!(!f.is_whole(), "{source} keeps everything");
        FIELDS
            .iter()
            .copied()
            .filter(|n| bit(n).is_some_and(|i| has(&f.named, i)))
            .collect()
    }

    #[test]
    fn fields_read_by_name_are_the_only_ones_kept() {
        assert_eq!(
            named("containers.all(c, has(c.resources) && has(c.resources.limits))"),
            ["resources", "limits"]
        );
        assert_eq!(
            named("containers.filter(c, !c.image.contains('@')).map(c, c.name)"),
            ["image", "name"]
        );
        assert_eq!(
            named("!has(podSpec.hostPID) || !podSpec.hostPID"),
            ["hostPID"]
        );
        assert_eq!(
            named("object.spec.template.spec.containers.exists(c, 'env' in c)"),
            ["containers", "env", "template"]
        );
        assert_eq!(named("containers[0]['image'] != ''"), ["image"]);
        assert_eq!(
            named("object.metadata.name.size() <= 40 && size(containers) < 5"),
            ["name"]
        );
        assert_eq!(
            named("has(object.metadata.labels) && 'team' in object.metadata.labels"),
            ["labels"]
        );
        assert_eq!(
            named("!('legacy' in object.metadata.annotations)"),
            ["annotations"]
        );
        // A pod template's metadata is converted whole; the object's is named.
        assert_eq!(
            named("object.spec.template.metadata.labels.size() > 0"),
            ["labels", "template"]
        );
        assert_eq!(
            named("(podSpec.initContainers + containers).all(c, c.tty == false)"),
            ["initContainers", "tty"]
        );
        assert_eq!(
            named("containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)"),
            ["securityContext", "privileged"]
        );
        assert_eq!(
            named("containers.exists(c, has(c.readinessProbe))"),
            ["readinessProbe"]
        );
        assert_eq!(
            named("'runAsNonRoot' in object.spec.template.spec.securityContext"),
            ["securityContext", "template", "runAsNonRoot"]
        );
    }

    #[test]
    fn an_expression_that_can_see_a_whole_map_keeps_every_field() {
        for source in [
            "containers.all(c, size(c) > 2)",
            "containers.all(c, c.size() > 2)",
            "containers.exists(c, c == containers[0])",
            "containers.all(c, c.all(k, k != 'env'))",
            "podSpec.exists(k, k == 'hostPID')",
            "containers.all(c, c[c.name] == 1)",
            "containers.all(c, c.name in c)",
            "containers.exists(c, string(c) != '')",
            "containers.filter(c, true)",
            "[podSpec].all(p, has(p.hostPID))",
            "[containers].all(l, size(l) > 0)",
            "{'a': containers[0]}.size() == 1",
            "size(object) > 0",
            "object.spec.template.spec == object.spec.template.spec",
            "size(object.spec.jobTemplate.spec.template.spec) > 0",
            "variables.containers.all(c, c.image != '')",
            "containers.all(c, c.?image.hasValue())",
            "containers.map(x, x).exists(c, size(c) == 0)",
            "podSpec.containers.name == 'a'",
            "size(object.metadata) > 3",
            "object.metadata.exists(k, k == 'uid')",
            "'uid' in object.metadata ? object.metadata == object.metadata : false",
            "[object.metadata].size() == 1",
            "object.spec.exists(k, k == 'replicas')",
            "size(object.spec) > 1",
            "containers.all(c, size(c.securityContext) > 0)",
            "containers.all(c, c.resources.exists(k, k == 'limits'))",
            "containers.all(c, c.readinessProbe == c.livenessProbe)",
            "containers.map(c, c.resources)",
            "[podSpec.securityContext].size() == 1",
        ] {
            assert!(fields(source).is_whole(), "{source}");
        }
    }

    #[test]
    fn a_comprehension_variable_shadows_a_variable_of_the_same_name() {
        // Inside, `podSpec` is a string: nothing of the pod spec is read.
        assert_eq!(
            named("['a'].all(podSpec, size(podSpec) == 1)"),
            Vec::<&str>::new()
        );
        // A map built from scratch holds no pod spec.
        assert!(!fields("[{'x': 1}].all(m, size(m) == 1)").is_whole());
    }

    #[test]
    fn every_listed_field_has_a_bit_of_its_own() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(seen.insert(f), "{f} is listed twice");
            assert_eq!(bit(f), Some(i), "{f}");
        }
        assert_eq!(bit("aFieldOfAFutureRelease"), None);
    }

    #[test]
    fn unlisted_keys_are_kept_whatever_is_named() {
        let f = fields("containers.all(c, has(c.image))");
        assert!(f.keeps("image"));
        assert!(!f.keeps("env"));
        assert!(f.keeps("aFieldOfAFutureRelease"));
        assert!(FieldsRead::WHOLE.keeps("env"));
    }
}
