//! The watchers of a fleet (several contexts read side by side): one live source per member,
//! their messages merged into one queue, each tagged with its member and generation.

use super::{spawn, ConnectOptions, LiveHandle};
use crate::cluster::Msg;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// A message from one member's source: which member, which of its sources.
pub type Tagged = (usize, u64, Msg);

/// The connect options of the member on `context`; `options` says how (kubeconfig,
/// namespaces).
pub fn member_options(options: &ConnectOptions, context: &str) -> ConnectOptions {
    ConnectOptions {
        context: Some(context.to_string()),
        ..options.clone()
    }
}

/// The watchers of every member; dropping it stops them.
pub struct FleetSource {
    pub options: ConnectOptions,
    handles: Vec<LiveHandle>,
    tx: UnboundedSender<Tagged>,
}

impl FleetSource {
    /// Starts connecting to every context at once; `options` says how (kubeconfig,
    /// namespaces), each member's context is its own.
    pub fn spawn(
        options: ConnectOptions,
        contexts: &[String],
    ) -> (FleetSource, UnboundedReceiver<Tagged>) {
        let (tx, rx) = unbounded_channel();
        let mut source = FleetSource {
            options,
            handles: Vec::new(),
            tx,
        };
        for (i, context) in contexts.iter().enumerate() {
            let handle = source.start(i, 0, context);
            source.handles.push(handle);
        }
        (source, rx)
    }

    fn start(&self, index: usize, generation: u64, context: &str) -> LiveHandle {
        let (handle, mut rx) = spawn(member_options(&self.options, context));
        let tx = self.tx.clone();
        // The forwarder ends with the member's source (its handle dropped, or a failed
        // connection said so), or when the dashboard is gone.
        tokio::spawn(async move {
            while let Some(msg) = rx.recv().await {
                if tx.send((index, generation, msg)).is_err() {
                    return;
                }
            }
        });
        handle
    }

    /// Replaces member `index`'s source with one on `context` as generation `generation`
    /// (the dashboard's `App::switch_in_fleet` says which); the old watchers stop.
    pub fn switch(&mut self, index: usize, generation: u64, context: &str) {
        let handle = self.start(index, generation, context);
        if let Some(old) = self.handles.get_mut(index) {
            *old = handle;
        }
    }
}
