//! Triage: from "what is broken" to "why" — root causes shared by many alerts, the commands
//! a person would run next, log lines made safe to show, and what changed while watching.

pub mod causes;
pub mod commands;
pub mod logs;
pub mod object;
pub mod timeline;
