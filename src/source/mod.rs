//! Sources: everything that produces [`Msg`](crate::cluster::Msg)s for the model (files, snapshots, the demo).

pub mod demo;
pub mod demo_script;
pub mod file;
pub mod live;
pub mod snapshot;
pub mod yaml;

pub use file::{load, LoadError, LoadOptions};
