//! Namespace guardrails (section G).

use super::{CheckDef, CheckResult, Context};

pub const CHECKS: &[CheckDef] = &[];

/// Grades one namespace's guardrails.
pub fn check(_namespace: &str, _cx: &Context, _out: &mut Vec<CheckResult>) {}
