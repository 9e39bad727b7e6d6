//! placeholder replaced by the demo cluster
pub fn demo_messages() -> Vec<crate::cluster::Msg> {
    Vec::new()
}
