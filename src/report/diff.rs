use serde_json::Value;
#[derive(Debug, thiserror::Error)]
#[error("x")]
pub struct DiffError;
pub struct Changes;
impl Changes { pub fn regressed(&self) -> bool { false } pub fn regression_summary(&self) -> String { String::new() } }
pub fn report_of(_t: &str, _p: &str, _c: &crate::config::Config) -> Result<Value, DiffError> { Err(DiffError) }
pub fn compare(_a: &Value, _b: &Value) -> Result<Changes, DiffError> { Err(DiffError) }
pub fn render_table(_c: &Changes) -> String { String::new() }
pub fn render_markdown(_c: &Changes) -> String { String::new() }
pub fn to_json(_c: &Changes) -> Value { Value::Null }
