//! Services and ingress (section N).

use super::{CheckDef, CheckResult, Context};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;

pub const CHECKS: &[CheckDef] = &[];

pub fn check_service(_svc: &Service, _cx: &Context, _out: &mut Vec<CheckResult>) {}

pub fn check_ingress(_ing: &Ingress, _cx: &Context, _out: &mut Vec<CheckResult>) {}
