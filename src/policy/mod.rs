//! Team policies as data: custom checks written in CEL ([`custom`]) and the cluster's own
//! ValidatingAdmissionPolicies ([`vap`]), both compiled once by [`cel`] and evaluated on every
//! workload like built-in checks.

pub mod cel;
pub mod custom;
pub mod vap;
