//! Velero (`velero.io/v1`): a `Schedule` creates a `Backup` on a cron schedule; each Backup
//! says in its status whether it completed, and when.

use super::{custom_resource, NoSpec};
use serde::{Deserialize, Serialize};

custom_resource!(
    /// A Velero Schedule (its cron expression and whether it is paused).
    Schedule, "velero.io", "v1", "schedules", NamespaceResourceScope, ScheduleSpec, ScheduleStatus
);

custom_resource!(
    /// A Velero Backup (metadata and its outcome only: what it includes is not read).
    Backup, "velero.io", "v1", "backups", NamespaceResourceScope, NoSpec, BackupStatus
);

/// The label Velero puts on the Backups a Schedule creates.
pub const SCHEDULE_LABEL: &str = "velero.io/schedule-name";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleSpec {
    /// A cron expression (`0 2 * * *`) or `@every 6h`, `@daily`…
    pub schedule: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScheduleStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_backup: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BackupStatus {
    /// `New`, `InProgress`, `Completed`, `PartiallyFailed`, `Failed`, `FailedValidation`…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_timestamp: Option<String>,
}

fn time(at: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(at?)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

impl Backup {
    pub fn phase(&self) -> &str {
        self.status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("New")
    }

    /// When it started, or failing that when it was created: what orders backups.
    pub fn started(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        time(
            self.status
                .as_ref()
                .and_then(|s| s.start_timestamp.as_deref()),
        )
        .or_else(|| {
            self.metadata
                .creation_timestamp
                .as_ref()
                .map(crate::time::from_time)
        })
    }

    pub fn completed(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        time(
            self.status
                .as_ref()
                .and_then(|s| s.completion_timestamp.as_deref()),
        )
    }

    /// The Schedule that created it, if one did.
    pub fn schedule(&self) -> Option<&str> {
        self.metadata
            .labels
            .as_ref()?
            .get(SCHEDULE_LABEL)
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_backup_reads_its_phase_times_and_schedule() {
        let b: Backup = serde_json::from_value(json!({
            "metadata": {"name": "daily-20261120020000", "namespace": "velero",
                         "labels": {"velero.io/schedule-name": "daily"}},
            "spec": {"includedNamespaces": ["*"], "storageLocation": "default"},
            "status": {"phase": "Failed", "startTimestamp": "2026-11-20T02:00:00Z",
                       "completionTimestamp": "2026-11-20T02:04:00Z", "failureReason": "x"}
        }))
        .unwrap();
        assert_eq!(b.phase(), "Failed");
        assert_eq!(b.schedule(), Some("daily"));
        assert_eq!(
            b.completed().unwrap().to_rfc3339(),
            "2026-11-20T02:04:00+00:00"
        );
        let text = serde_json::to_string(&b).unwrap();
        assert!(!text.contains("storageLocation") && !text.contains("failureReason"));
        let s: Schedule = serde_json::from_value(json!({
            "metadata": {"name": "daily", "namespace": "velero"},
            "spec": {"schedule": "0 2 * * *", "template": {"ttl": "720h"}}
        }))
        .unwrap();
        assert_eq!(s.spec.schedule, "0 2 * * *");
        assert!(!s.spec.paused);
    }
}
