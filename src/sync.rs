//! Reading a cluster for the headless commands: connect, wait until its kinds have listed (at
//! most a timeout), and say on stderr what did not.

use crate::cluster::Kind;
use crate::config::Config;
use crate::diagnostics::{note, UserError};
use crate::engine::Engine;
use crate::source::live::ConnectOptions;
use crate::source::Source;

/// A current-thread runtime for the commands that talk to a cluster.
pub fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Reads a source to an engine, not graded yet (the first flush grades it): the objects of
/// files or the demo as they are; a cluster's once its kinds have listed (at most `timeout`
/// seconds), saying on stderr which did not.
pub fn read(mut source: Source, timeout: u64, config: Config) -> Result<Engine, UserError> {
    match source.live_options() {
        Some(options) => runtime()?.block_on(sync_one(options, timeout, config, None)),
        None => Ok(source.engine(config)),
    }
}

/// Connects and waits for one cluster's lists (at most `timeout` seconds). `label` names the
/// context in the warnings when several are read at once.
pub async fn sync_one(
    options: &ConnectOptions,
    timeout: u64,
    config: Config,
    label: Option<&str>,
) -> Result<Engine, UserError> {
    let mut options = options.clone();
    options.audit_admission_policies |= config.audit_admission_policies;
    let conn = crate::source::live::connect(&options).await?;
    let (mut engine, late) =
        crate::source::live::sync(&conn, std::time::Duration::from_secs(timeout), config).await;
    if crate::cluster::Kind::ALL.iter().all(|k| late.contains(k)) {
        return Err(UserError::Usage(format!(
            "the API server of {:?} did not list anything within {timeout} s; retry with a longer --timeout",
            conn.context
        )));
    }
    if !late.is_empty() {
        let names: Vec<&str> = late.iter().map(|k| k.name()).collect();
        let whose = label.map_or(String::new(), |c| format!("context {c:?}: "));
        note(&format!(
            "warning: {whose}{} did not list within {timeout} s; checks that need them are unknown",
            names.join(", "),
        ));
    }
    if conn.audit_admission_policies {
        // Compiled on the first flush; each policy shipshape cannot evaluate is said once.
        engine.flush();
        let policies = engine
            .config()
            .admission_policies
            .clone()
            .unwrap_or_default();
        let whose = label.map_or(String::new(), |c| format!("context {c:?}: "));
        let read = Kind::ADMISSION_POLICIES
            .iter()
            .all(|k| engine.model().sync_state(*k) == crate::cluster::SyncState::Synced);
        if read && policies.policies.is_empty() {
            note(&format!(
                "warning: {whose}no ValidatingAdmissionPolicy is bound; none was audited"
            ));
        }
        for n in policies.notes() {
            note(&format!("warning: {whose}{n}"));
        }
    }
    Ok(engine)
}
