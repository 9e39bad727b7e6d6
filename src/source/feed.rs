//! The one source of a run, whatever it is: objects read once from files, the embedded demo
//! and its script, one watched cluster, or a fleet of them. The dashboard's loop owns it and
//! drains it ([`Source::recv`]); the headless commands read it to an engine
//! (`crate::sync::read`). Both start from the same value, built once from the command line.

use super::live::fleet::{FleetSource, Tagged};
use super::live::{self, ConnectError, ConnectOptions, LiveHandle};
use crate::cluster::{ClusterModel, Msg};
use crate::config::Config;
use crate::engine::Engine;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// Where a run's messages come from.
pub struct Source {
    origin: Origin,
    /// What the started source sends; `None` before it starts, and for objects read once.
    stream: Option<Stream>,
}

enum Origin {
    /// The model of objects read once (files, a snapshot): nothing follows them.
    Files(Box<ClusterModel>),
    /// The demo's objects; its script follows them, showing only `namespaces` when given.
    Demo {
        msgs: Vec<Msg>,
        namespaces: Vec<String>,
    },
    /// One cluster: how to reach it, the context it answered as, and once started its
    /// watchers (dropping them stops them).
    Live {
        options: ConnectOptions,
        context: Option<String>,
        handle: Option<LiveHandle>,
    },
    /// Several clusters, each watched on its own.
    Fleet {
        options: ConnectOptions,
        contexts: Vec<String>,
        watchers: Option<FleetSource>,
    },
}

enum Stream {
    One(UnboundedReceiver<Msg>),
    Tagged(UnboundedReceiver<Tagged>),
}

impl Source {
    fn of(origin: Origin) -> Source {
        Source {
            origin,
            stream: None,
        }
    }

    /// The model of objects read from files or a snapshot.
    pub fn files(model: ClusterModel) -> Source {
        Source::of(Origin::Files(Box::new(model)))
    }

    /// The demo's objects (already those of `namespaces`, when given), then its script.
    pub fn demo(msgs: Vec<Msg>, namespaces: Vec<String>) -> Source {
        Source::of(Origin::Demo { msgs, namespaces })
    }

    /// One cluster, reached as `options` says.
    pub fn live(options: ConnectOptions) -> Source {
        Source::of(Origin::Live {
            options,
            context: None,
            handle: None,
        })
    }

    /// Several clusters: `options` says how (kubeconfig, namespaces); each has its context.
    pub fn fleet(options: ConnectOptions, contexts: Vec<String>) -> Source {
        Source::of(Origin::Fleet {
            options,
            contexts,
            watchers: None,
        })
    }

    /// How to reach the one cluster watched; `None` for files, the demo and a fleet.
    pub fn live_options(&self) -> Option<&ConnectOptions> {
        match &self.origin {
            Origin::Live { options, .. } => Some(options),
            _ => None,
        }
    }

    /// The context a started live source answered as.
    pub fn context(&self) -> Option<&str> {
        match &self.origin {
            Origin::Live { context, .. } => context.as_deref(),
            _ => None,
        }
    }

    /// An engine holding what is known before anything is watched: the objects of files or
    /// the demo (graded on the first flush), nothing for a cluster. Takes the objects.
    pub fn engine(&mut self, config: Config) -> Engine {
        match &mut self.origin {
            Origin::Files(model) => Engine::with_model(config, std::mem::take(&mut **model)),
            Origin::Demo { msgs, .. } => {
                Engine::with_model(config, crate::engine::model_of(std::mem::take(msgs)))
            }
            Origin::Live { .. } | Origin::Fleet { .. } => Engine::new(config),
        }
    }

    /// Starts what follows the first objects: the demo's script (played on `model`, the
    /// demo's), a cluster's watchers (connecting first, so a failure is an error here), or
    /// every member of a fleet (each connecting on its own; a failure is that member's row).
    pub async fn start(&mut self, model: &ClusterModel) -> Result<(), ConnectError> {
        self.stream = match &mut self.origin {
            Origin::Files(_) => None,
            Origin::Demo { namespaces, .. } => {
                let (tx, rx) = unbounded_channel();
                if namespaces.is_empty() {
                    tokio::spawn(super::demo_script::play(tx, model.clone()));
                } else {
                    // The script plays the whole demo; only what `-n` shows goes through.
                    let (script_tx, mut script_rx) = unbounded_channel();
                    tokio::spawn(super::demo_script::play(script_tx, model.clone()));
                    let namespaces = namespaces.clone();
                    tokio::spawn(async move {
                        while let Some(msg) = script_rx.recv().await {
                            if let Some(msg) = super::demo::in_namespaces(msg, &namespaces) {
                                if tx.send(msg).is_err() {
                                    return;
                                }
                            }
                        }
                    });
                }
                Some(Stream::One(rx))
            }
            Origin::Live {
                options,
                context,
                handle,
            } => {
                let conn = live::connect(options).await?;
                let (tx, rx) = unbounded_channel();
                *handle = Some(live::start(&conn, tx));
                *context = Some(conn.context.clone());
                Some(Stream::One(rx))
            }
            Origin::Fleet {
                options,
                contexts,
                watchers,
            } => {
                let (source, rx) = FleetSource::spawn(options.clone(), contexts);
                *watchers = Some(source);
                Some(Stream::Tagged(rx))
            }
        };
        Ok(())
    }

    /// The next message, tagged with its fleet member and generation (`0, 0` off a fleet);
    /// `None` once the source has nothing more to say.
    pub async fn recv(&mut self) -> Option<Tagged> {
        match &mut self.stream {
            None => None,
            Some(Stream::One(rx)) => rx.recv().await.map(|m| (0, 0, m)),
            Some(Stream::Tagged(rx)) => rx.recv().await,
        }
    }

    /// A message already queued, if any.
    pub fn try_recv(&mut self) -> Option<Tagged> {
        match &mut self.stream {
            None => None,
            Some(Stream::One(rx)) => rx.try_recv().ok().map(|m| (0, 0, m)),
            Some(Stream::Tagged(rx)) => rx.try_recv().ok(),
        }
    }

    /// How to reach a cluster for logs: the one watched, or in a fleet the member `context`
    /// (the row's cluster); `None` off a live cluster.
    pub fn options_for_logs(&self, context: Option<&str>) -> Option<ConnectOptions> {
        match &self.origin {
            Origin::Live { options, .. } => Some(options.clone()),
            Origin::Fleet { options, .. } => Some(live::fleet::member_options(
                options,
                context.unwrap_or_default(),
            )),
            Origin::Files(_) | Origin::Demo { .. } => None,
        }
    }

    /// True for several clusters, whose context switch goes through [`Source::switch_member`].
    pub fn is_fleet(&self) -> bool {
        matches!(self.origin, Origin::Fleet { .. })
    }

    /// Stops watching the one cluster and starts on `context`: the old watchers stop when
    /// their handle drops, and their queued messages go with the old stream. True when the
    /// model must start over; files and the demo have no context to switch.
    pub fn switch_context(&mut self, context: &str) -> bool {
        let Origin::Live {
            options,
            context: current,
            handle,
        } = &mut self.origin
        else {
            return false;
        };
        options.context = Some(context.to_string());
        *current = Some(context.to_string());
        let (new_handle, rx) = live::spawn(options.clone());
        *handle = Some(new_handle);
        self.stream = Some(Stream::One(rx));
        true
    }

    /// In a fleet, starts member `index` over on `context` as generation `generation`.
    pub fn switch_member(&mut self, index: usize, generation: u64, context: &str) {
        if let Origin::Fleet {
            watchers: Some(watchers),
            ..
        } = &mut self.origin
        {
            watchers.switch(index, generation, context);
        }
    }
}
