//! The ValidatingAdmissionPolicies and their bindings in the files given with `-f`, read with
//! the object loader's walk and size limit so the policies see the same files the objects do.

use crate::policy::vap::{self, AdmissionPolicies};

/// The policies and bindings in manifest files and directories (as `-f` reads them; stdin is
/// read once, by the object loader, and so holds none for this).
pub fn from_paths(
    paths: &[std::path::PathBuf],
    limit: u64,
) -> Result<AdmissionPolicies, crate::source::LoadError> {
    let (mut policies, mut bindings) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for root in paths.iter().filter(|p| p.as_os_str() != "-") {
        let files = if root.is_dir() {
            crate::source::walk::walk(root, &mut seen)?.files
        } else {
            vec![root.clone()]
        };
        for file in files {
            let shown = file.display().to_string();
            let text = crate::source::input::read_path(&file, &shown, limit)?;
            if !text.contains("ValidatingAdmissionPolic") {
                continue;
            }
            let (p, b) =
                vap::from_text(&text).map_err(|reason| crate::source::LoadError::Unreadable {
                    path: shown.clone(),
                    reason,
                })?;
            policies.extend(p);
            bindings.extend(b);
        }
    }
    Ok(AdmissionPolicies::new(&policies, &bindings))
}
