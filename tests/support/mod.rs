//! Shared test support.
#![allow(dead_code)]

pub mod apiserver;
pub mod command;
pub mod corpus;
pub mod exporter;
pub mod fleet;
pub mod watching;
