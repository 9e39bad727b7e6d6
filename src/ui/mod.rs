//! The dashboard: an event loop that drains source messages and input, regrades what changed,
//! and draws at most once per frame.

pub mod app;
pub mod clipboard;
pub mod cluster_focus;
pub mod draw;
pub mod export;
pub mod filter;
pub mod fleet;
pub mod keys;
pub mod layout;
#[cfg(any(test, feature = "testing"))]
pub mod svg;
pub mod terminal;
pub mod theme;

use crate::cluster::Msg;
use app::App;
use crossterm::event::Event;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// At most this many frames per second.
const FRAME: Duration = Duration::from_millis(33);
/// Redraw at least this often, so ages and "stale for" stay current.
const TICK: Duration = Duration::from_secs(1);

/// The live source behind the dashboard, which the context switcher replaces.
pub struct LiveSource {
    pub options: crate::source::live::ConnectOptions,
    pub handle: crate::source::live::LiveHandle,
}

impl LiveSource {
    /// Stops watching the current context and starts on `context`; the old watchers stop
    /// when their handle drops, and their queued messages go with the old receiver.
    fn switch(&mut self, context: String) -> UnboundedReceiver<Msg> {
        self.options.context = Some(context);
        let (handle, rx) = crate::source::live::spawn(self.options.clone());
        self.handle = handle;
        rx
    }
}

/// Where the dashboard's messages come from: one source, or one per cluster of a fleet.
enum Sources {
    One {
        rx: UnboundedReceiver<Msg>,
        live: Option<LiveSource>,
    },
    Fleet {
        source: fleet::FleetSource,
        rx: UnboundedReceiver<fleet::Tagged>,
    },
}

impl Sources {
    async fn recv(&mut self) -> Option<fleet::Tagged> {
        match self {
            Sources::One { rx, .. } => rx.recv().await.map(|m| (0, 0, m)),
            Sources::Fleet { rx, .. } => rx.recv().await,
        }
    }

    fn try_recv(&mut self) -> Option<fleet::Tagged> {
        match self {
            Sources::One { rx, .. } => rx.try_recv().ok().map(|m| (0, 0, m)),
            Sources::Fleet { rx, .. } => rx.try_recv().ok(),
        }
    }

    /// How to reach the cluster the dashboard shows, for logs; `None` off a live cluster.
    fn options(&self, app: &App) -> Option<crate::source::live::ConnectOptions> {
        match self {
            Sources::One { live, .. } => live.as_ref().map(|l| l.options.clone()),
            Sources::Fleet { source, .. } => {
                // The logs of a row of the "all clusters" view come from the row's cluster.
                let context = app.log_context.as_deref().or(app.context.as_deref());
                Some(source.options_for(context.unwrap_or_default()))
            }
        }
    }

    /// Carries out a context switch the app asked for.
    fn switch(&mut self, app: &mut App, context: String) {
        match self {
            Sources::One { rx, live } => {
                if let Some(live) = live.as_mut() {
                    *rx = live.switch(context.clone());
                    app.replace_model(crate::cluster::ClusterModel::new(), context);
                }
            }
            Sources::Fleet { source, .. } => source.switch_context(app, &context),
        }
    }
}

/// Runs the dashboard until the user quits. `source` delivers live changes (closed when the
/// source has nothing more to say); `live`, when watching a cluster, lets `c` switch context.
pub async fn run(
    app: App,
    source: UnboundedReceiver<Msg>,
    live: Option<LiveSource>,
) -> std::io::Result<()> {
    run_sources(app, Sources::One { rx: source, live }).await
}

/// Runs the dashboard of several clusters (`app` made with [`App::with_fleet`]) until the
/// user quits; `rx` delivers every member's messages.
pub async fn run_fleet(
    app: App,
    source: fleet::FleetSource,
    rx: UnboundedReceiver<fleet::Tagged>,
) -> std::io::Result<()> {
    run_sources(app, Sources::Fleet { source, rx }).await
}

async fn run_sources(mut app: App, mut sources: Sources) -> std::io::Result<()> {
    let mut term = terminal::Tui::enter()?;
    let size = term.size()?;
    app.resize(size.width, size.height);

    let (input_tx, mut input) = unbounded_channel::<Event>();
    // crossterm's reader blocks; a thread keeps the async loop free.
    std::thread::spawn(move || {
        while let Ok(ev) = crossterm::event::read() {
            if input_tx.send(ev).is_err() {
                break;
            }
        }
    });

    // Log fetches run as tasks and answer here, so the draw loop never waits on a kubelet.
    let (logs_tx, mut logs) =
        unbounded_channel::<(crate::triage::logs::LogTarget, Result<String, String>)>();
    let mut source_open = true;
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            app.flush();
            term.draw(|f| draw::draw(f, &app))?;
            last_draw = Instant::now();
            dirty = false;
        }
        let wait = if dirty {
            FRAME.saturating_sub(last_draw.elapsed())
        } else {
            TICK
        };
        tokio::select! {
            ev = input.recv() => {
                let Some(ev) = ev else { break };
                handle_event(&mut app, ev);
                while let Ok(ev) = input.try_recv() {
                    handle_event(&mut app, ev);
                }
                if let Some(app::Request::SwitchContext(context)) = app.request.take() {
                    sources.switch(&mut app, context);
                    source_open = true;
                }
                // A requested export is written here, between frames, never while drawing.
                export::export_pending(&mut app, std::path::Path::new("."), chrono::Utc::now());
                if let Some(target) = app.log_request.take() {
                    match sources.options(&app) {
                        Some(options) => {
                            let tx = logs_tx.clone();
                            tokio::spawn(async move {
                                let answer = crate::source::live::logs::fetch_with(
                                    &options,
                                    &target,
                                    crate::source::live::logs::TIMEOUT,
                                )
                                .await;
                                let _ = tx.send((target, answer));
                            });
                        }
                        None => app.logs_arrived(&target, Err("no cluster to read logs from".into())),
                    }
                }
                if let Some(text) = app.copy_request.take() {
                    // Best effort: a terminal that ignores OSC 52 shows the command to select.
                    let _ = clipboard::copy(&mut std::io::stdout(), &text);
                }
                dirty = true;
            }
            answer = logs.recv() => {
                if let Some((target, answer)) = answer {
                    app.logs_arrived(&target, answer);
                }
                dirty = true;
            }
            msg = sources.recv(), if source_open => {
                match msg {
                    Some((index, generation, msg)) => {
                        app.apply_from(index, generation, msg);
                        // Drain the whole queue before drawing once.
                        while let Some((index, generation, msg)) = sources.try_recv() {
                            app.apply_from(index, generation, msg);
                        }
                    }
                    None => source_open = false,
                }
                dirty = true;
            }
            _ = tokio::time::sleep(wait) => { dirty = true; }
        }
        if app.quit {
            break;
        }
    }
    drop(term);
    Ok(())
}

fn handle_event(app: &mut App, ev: Event) {
    match ev {
        Event::Key(k) if k.kind != crossterm::event::KeyEventKind::Release => app.handle_key(k),
        Event::Mouse(m) => app.handle_mouse(m),
        Event::Resize(w, h) => app.resize(w, h),
        _ => {}
    }
}
