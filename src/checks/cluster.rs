//! Cluster checks (section K).

use super::{CheckDef, CheckResult, Context};

pub const CHECKS: &[CheckDef] = &[];

pub fn check(_cx: &Context, _out: &mut Vec<CheckResult>) {}
