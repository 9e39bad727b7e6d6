//! placeholder replaced by the demo cluster
pub fn demo_messages() -> Vec<crate::cluster::Msg> {
    Vec::new()
}
pub fn demo_model() -> crate::cluster::ClusterModel {
    let mut m = crate::cluster::ClusterModel::new();
    for msg in demo_messages() {
        m.apply(msg);
    }
    m
}
