//! Sources: everything that produces [`Msg`](crate::cluster::Msg)s for the model (files, snapshots, the demo).

pub mod demo;
pub mod demo_script;
pub mod depth;
pub mod feed;
pub mod file;
pub mod input;
pub mod json_items;
pub mod live;
pub mod snapshot;
pub mod threads;
pub mod walk;
pub mod yaml;

pub use feed::Source;
pub use file::{load, load_with_notes, LoadError, LoadOptions, Loaded};
