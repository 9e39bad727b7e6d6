//! Where the memory of `check -f dump.json -o json` goes: the bytes the allocator holds after
//! each step, and the most it held during the step. Measured beside `/usr/bin/time -v` in
//! README "Performance".
//!
//! Then, from a second load of the same file, what the loaded objects of each kind hold, and
//! for pods and pod templates which parts hold it (each part is dropped in turn and the bytes
//! the allocator gets back are counted), then what each kind takes in the model's stores
//! (pods compact, controllers' pod specs packed) and what the packed specs take.
//!
//! `cargo run --release --example memory_phases -- dump.json`; with `MEMORY_PHASES_KINDS_ONLY`
//! set, only the second part's tables for the model (per kind and part, and in the stores) are
//! printed.
//!
//! `memory_phases --live KUBECONFIG` reads a live cluster as `check` does instead (list and
//! watch until synced, grade, write the JSON report), then says what the synced model holds:
//! the grades, each kind's store, the parts of its pods, and the indexes.

use shipshape::cluster::packed::Packed;
use shipshape::cluster::{workload_object_mut, Msg, Object};
use shipshape::config::Config;
use shipshape::engine::Engine;
use shipshape::source::{load, LoadOptions};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{NOW, PEAK};

/// Prints what the step held at most and what is held after it.
fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    PEAK.store(NOW.load(Ordering::Relaxed), Ordering::Relaxed);
    let started = std::time::Instant::now();
    let out = f();
    let mb = |b: usize| b as f64 / 1e6;
    println!(
        "{name:<28} peak {:>8.1} MB   held after {:>8.1} MB   {:>6.2} s",
        mb(PEAK.load(Ordering::Relaxed)),
        mb(NOW.load(Ordering::Relaxed)),
        started.elapsed().as_secs_f64()
    );
    out
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dump.json".into());
    if path == "--live" {
        let kubeconfig = std::env::args().nth(2).expect("a kubeconfig after --live");
        return live(kubeconfig.into());
    }
    {
        use k8s_openapi::api::core::v1 as core;
        use std::mem::size_of;
        println!(
            "one object as a message: {} bytes (its largest kind's size), a boxed Pod {} bytes",
            size_of::<shipshape::cluster::Object>(),
            size_of::<core::Pod>()
        );
        println!(
            "struct sizes: PodSpec {}, PodStatus {}, ObjectMeta {}, Container {}, ContainerStatus {}, \
             PodCondition {}, Volume {}",
            size_of::<core::PodSpec>(),
            size_of::<core::PodStatus>(),
            size_of::<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>(),
            size_of::<core::Container>(),
            size_of::<core::ContainerStatus>(),
            size_of::<core::PodCondition>(),
            size_of::<core::Volume>()
        );
        use shipshape::cluster::pod;
        println!(
            "as the model holds a pod: Pod {}, PodSpec {}, Container {}, PodStatus {}, \
             ContainerStatus {}, ContainerState {} (boxed)",
            size_of::<pod::Pod>(),
            size_of::<pod::PodSpec>(),
            size_of::<pod::Container>(),
            size_of::<pod::PodStatus>(),
            size_of::<pod::ContainerStatus>(),
            size_of::<pod::ContainerState>()
        );
    }
    if std::env::var_os("MEMORY_PHASES_KINDS_ONLY").is_some() {
        println!("\nas the model holds them:");
        per_kind(&path, &LoadOptions::default());
        println!("\nin the model's stores:");
        in_stores(&path);
        return;
    }
    // As `check` loads: each object goes to the model as it is read.
    let model = step("load into the model", || {
        shipshape::source::load_with_notes(&[path.clone().into()], &LoadOptions::default())
            .expect("a readable dump")
            .model
    });
    let mut engine = Engine::with_model(Config::default(), model);
    step("grade", || engine.flush());
    step("write the JSON report", || {
        shipshape::report::json::write(engine.model(), engine.grades(), &mut std::io::sink())
            .expect("a sink takes everything")
    });
    drop(engine);
    let whole = LoadOptions {
        whole: true,
        ..LoadOptions::default()
    };
    println!("\nas the model holds them:");
    per_kind(&path, &LoadOptions::default());
    println!("\nin the model's stores:");
    in_stores(&path);
    println!("\nwhole (LoadOptions::whole):");
    per_kind(&path, &whole);
}

/// A live cluster read as `check` reads it, and what its synced model holds.
fn live(kubeconfig: std::path::PathBuf) {
    use shipshape::cluster::Kind;
    use shipshape::source::live::{connect, sync, ConnectOptions};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let options = ConnectOptions {
        kubeconfig: Some(kubeconfig),
        ..ConnectOptions::default()
    };
    let conn = rt.block_on(connect(&options)).expect("a reachable cluster");
    let (mut engine, late) = step("list and watch until synced", || {
        rt.block_on(sync(
            &conn,
            std::time::Duration::from_secs(300),
            Config::default(),
        ))
    });
    assert!(late.is_empty(), "kinds that did not list: {late:?}");
    resident();
    step("grade", || engine.flush());
    resident();
    step("write the JSON report", || {
        shipshape::report::json::write(engine.model(), engine.grades(), &mut std::io::sink())
            .expect("a sink takes everything")
    });
    resident();
    drop(rt);
    let mut model = None;
    let grades = freed(|| model = Some(engine.into_model()));
    let mut model = model.expect("taken above");
    let mb = |b: usize| b as f64 / 1e6;
    println!("\nthe synced model:");
    println!("{:<32} {:>10.1} MB", "grades (and the engine)", mb(grades));
    println!(
        "{:<24} {:>7} {:>10} {:>9}",
        "kind", "objects", "MB", "KB each"
    );
    let pods = model.stores.pods.len();
    let mut parts: Vec<(&str, usize)> = Vec::new();
    let (mut meta, mut spec, mut status) = (0, 0, 0);
    for p in model.stores.pods.values_mut() {
        meta += freed(|| drop(std::mem::take(&mut p.metadata)));
        spec += freed(|| drop(p.spec.take()));
        status += freed(|| drop(p.status.take()));
    }
    parts.push(("Pod metadata", meta));
    parts.push(("Pod spec", spec));
    parts.push(("Pod status", status));
    parts.push((
        "Pod (the rest, its box and key)",
        freed(|| model.stores.clear(Kind::Pod)),
    ));
    let pod_total: usize = parts.iter().map(|(_, b)| b).sum();
    println!(
        "{:<24} {pods:>7} {:>10.1} {:>9.2}",
        "Pod",
        mb(pod_total),
        pod_total as f64 / pods.max(1) as f64 / 1e3
    );
    packed_specs(&model.stores);
    for kind in Kind::every().filter(|k| *k != Kind::Pod) {
        let n = model.stores.count(kind);
        if n == 0 {
            continue;
        }
        let bytes = freed(|| model.stores.clear(kind));
        println!(
            "{:<24} {n:>7} {:>10.1} {:>9.2}",
            kind.name(),
            mb(bytes),
            bytes as f64 / n as f64 / 1e3
        );
    }
    println!(
        "{:<32} {:>10.1} MB",
        "indexes, origins, the rest",
        mb(freed(|| drop(model)))
    );
    println!();
    for (name, bytes) in parts {
        println!(
            "{name:<32} {:>10.1} MB {:>9.2} KB a pod",
            mb(bytes),
            bytes as f64 / pods.max(1) as f64 / 1e3
        );
    }
}

/// What the packed pod specs of the controllers take (their JSON text), kind by kind.
fn packed_specs(stores: &shipshape::cluster::object::Stores) {
    fn line<K>(kind: &str, store: &shipshape::cluster::object::TypedStore<Packed<K>>)
    where
        K: shipshape::cluster::WorkloadObject,
    {
        let n = store.values().filter(|o| o.packed_len() > 0).count();
        if n == 0 {
            return;
        }
        let bytes: usize = store.values().map(|o| o.packed_len()).sum();
        println!(
            "{:<24} {n:>7} {:>10.1} {:>9.2}",
            format!("{kind} pod specs packed"),
            bytes as f64 / 1e6,
            bytes as f64 / n as f64 / 1e3
        );
    }
    line("Deployment", &stores.deployments);
    line("StatefulSet", &stores.stateful_sets);
    line("DaemonSet", &stores.daemon_sets);
    line("ReplicaSet", &stores.replica_sets);
    line("Rollout", &stores.rollouts);
    line("CronJob", &stores.cron_jobs);
    line("ReplicationController", &stores.replication_controllers);
}

/// What each kind takes in the model's stores (pods compact, controllers' pod specs packed),
/// the file loaded as `check` loads it.
fn in_stores(path: &str) {
    use shipshape::cluster::Kind;
    let msgs = load(&[path.into()], &LoadOptions::default()).expect("a readable dump");
    let mut stores = shipshape::cluster::object::Stores::default();
    for m in msgs {
        if let Msg::Upsert(e) = m {
            stores.upsert(e.object);
        }
    }
    println!(
        "{:<24} {:>7} {:>10} {:>9}",
        "kind", "objects", "MB", "KB each"
    );
    packed_specs(&stores);
    for kind in Kind::every() {
        let n = stores.count(kind);
        if n == 0 {
            continue;
        }
        let bytes = freed(|| stores.clear(kind));
        println!(
            "{:<24} {n:>7} {:>10.1} {:>9.2}",
            kind.name(),
            bytes as f64 / 1e6,
            bytes as f64 / n as f64 / 1e3
        );
    }
}

/// What the process holds as the kernel counts it, now and at most: beside the allocator's
/// figures, the difference is what the allocator keeps and has not handed out (free lists,
/// the room between small blocks), thread stacks and the program's own pages.
fn resident() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_string(), |v| v.trim().to_string())
    };
    println!(
        "{:<28} resident {}   at most {}",
        "",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

/// The bytes the allocator gets back when `f` drops something.
fn freed(f: impl FnOnce()) -> usize {
    let before = NOW.load(Ordering::Relaxed);
    f();
    before.saturating_sub(NOW.load(Ordering::Relaxed))
}

/// What each kind's loaded objects hold, and for pods and templates, which parts.
fn per_kind(path: &str, options: &LoadOptions) {
    let msgs = load(&[path.into()], options).expect("a readable dump");
    let mut by_kind: BTreeMap<&'static str, Vec<Object>> = BTreeMap::new();
    for m in msgs {
        if let Msg::Upsert(e) = m {
            by_kind
                .entry(e.object.kind().name())
                .or_default()
                .push(e.object);
        }
    }
    println!(
        "{:<24} {:>7} {:>10} {:>9}",
        "kind", "objects", "MB", "KB each"
    );
    let mut parts: BTreeMap<String, usize> = BTreeMap::new();
    let mut part = |name: String, bytes: usize| *parts.entry(name).or_default() += bytes;
    for (kind, mut objects) in by_kind {
        let n = objects.len();
        let mut total = 0;
        for o in &mut objects {
            total += freed(|| match o {
                Object::Pod(p) => {
                    if let Some(s) = p.spec.as_mut() {
                        for c in s
                            .containers
                            .iter_mut()
                            .chain(s.init_containers.iter_mut().flatten())
                        {
                            part(
                                "Pod container resources".into(),
                                freed(|| drop(c.resources.take())),
                            );
                            part("Pod container ports".into(), freed(|| drop(c.ports.take())));
                        }
                        part(
                            "Pod spec.containers".into(),
                            freed(|| drop(std::mem::take(&mut s.containers))),
                        );
                        part(
                            "Pod spec.initContainers".into(),
                            freed(|| drop(s.init_containers.take())),
                        );
                        part("Pod spec.volumes".into(), freed(|| drop(s.volumes.take())));
                    }
                    part("Pod spec (the rest)".into(), freed(|| drop(p.spec.take())));
                    if let Some(st) = p.status.as_mut() {
                        for cs in st
                            .container_statuses
                            .iter_mut()
                            .flatten()
                            .chain(st.init_container_statuses.iter_mut().flatten())
                        {
                            part(
                                "Pod status containers: state, lastState".into(),
                                freed(|| {
                                    drop(cs.state.take());
                                    drop(cs.last_state.take())
                                }),
                            );
                            part(
                                "Pod status containers: volumeMounts".into(),
                                freed(|| drop(cs.volume_mounts.take())),
                            );
                            part(
                                "Pod status containers: ids".into(),
                                freed(|| {
                                    drop(cs.container_id.take());
                                    drop(std::mem::take(&mut cs.image_id))
                                }),
                            );
                        }
                        part(
                            "Pod status container statuses (the rest)".into(),
                            freed(|| {
                                drop(st.container_statuses.take());
                                drop(st.init_container_statuses.take())
                            }),
                        );
                        part(
                            "Pod status conditions".into(),
                            freed(|| drop(st.conditions.take())),
                        );
                    }
                    part(
                        "Pod status (the rest)".into(),
                        freed(|| drop(p.status.take())),
                    );
                    part(
                        "Pod metadata labels".into(),
                        freed(|| drop(p.metadata.labels.take())),
                    );
                    part(
                        "Pod metadata annotations".into(),
                        freed(|| drop(p.metadata.annotations.take())),
                    );
                    part(
                        "Pod metadata ownerReferences".into(),
                        freed(|| drop(p.metadata.owner_references.take())),
                    );
                    part(
                        "Pod metadata (the rest)".into(),
                        freed(|| drop(std::mem::take(&mut p.metadata))),
                    );
                }
                other => {
                    let kind = other.kind().name();
                    if let Some(t) = workload_object_mut(other).and_then(|w| w.pod_template_mut()) {
                        part(
                            format!("{kind} spec.template"),
                            freed(|| drop(std::mem::take(t))),
                        );
                    }
                }
            });
        }
        total += freed(|| drop(objects));
        println!(
            "{kind:<24} {n:>7} {:>10.1} {:>9.1}",
            total as f64 / 1e6,
            total as f64 / n.max(1) as f64 / 1e3
        );
    }
    println!();
    for (name, bytes) in parts {
        println!("{name:<32} {:>10.1} MB", bytes as f64 / 1e6);
    }
}
