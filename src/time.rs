//! Time at the edges: k8s-openapi carries `jiff` timestamps, shipshape reasons in `chrono`.

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

/// Converts a Kubernetes `Time` to a chrono UTC timestamp.
pub fn from_time(t: &Time) -> DateTime<Utc> {
    from_jiff(t.0)
}

pub fn from_micro_time(t: &MicroTime) -> DateTime<Utc> {
    from_jiff(t.0)
}

fn from_jiff(t: k8s_openapi::jiff::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond().max(0) as u32).unwrap_or_default()
}

/// "3m", "2h", "5d": how long ago, the way kubectl prints ages.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}

/// Converts a chrono timestamp to a Kubernetes `Time`.
pub fn to_time(t: DateTime<Utc>) -> Time {
    Time(k8s_openapi::jiff::Timestamp::from_second(t.timestamp()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_formats() {
        let t: Time = serde_json::from_str("\"2026-11-20T10:00:00Z\"").unwrap();
        let c = from_time(&t);
        assert_eq!(c.to_rfc3339(), "2026-11-20T10:00:00+00:00");
        let now = c + chrono::Duration::minutes(90);
        assert_eq!(age(c, now), "90m");
        assert_eq!(age(c, c + chrono::Duration::hours(50)), "2d");
        assert_eq!(age(c, c + chrono::Duration::seconds(5)), "5s");
    }
}
