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

use crate::source::Source;
use app::App;
use crossterm::event::Event;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

/// At most this many frames per second.
const FRAME: Duration = Duration::from_millis(33);
/// Redraw at least this often, so ages and "stale for" stay current.
const TICK: Duration = Duration::from_secs(1);

/// Carries out a context switch the app asked for: in a fleet the app says which member
/// starts over (or selects one of its own); one cluster starts over with an empty model.
pub fn switch_context(app: &mut App, source: &mut Source, context: String) {
    if source.is_fleet() {
        if let Some((index, generation)) = app.switch_in_fleet(&context) {
            source.switch_member(index, generation, &context);
        }
    } else if source.switch_context(&context) {
        app.replace_model(crate::cluster::ClusterModel::new(), context);
    }
}

/// How to reach the cluster the dashboard shows, for logs; `None` off a live cluster. The
/// logs of a row of a fleet's "all clusters" view come from the row's cluster.
fn options_for_logs(app: &App, source: &Source) -> Option<crate::source::live::ConnectOptions> {
    source.options_for_logs(app.log_context.as_deref().or(app.context.as_deref()))
}

/// Runs the dashboard until the user quits. `source`, started, delivers changes until it has
/// nothing more to say; watching a cluster, `c` switches its context.
pub async fn run(mut app: App, mut source: Source) -> std::io::Result<()> {
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
                    switch_context(&mut app, &mut source, context);
                    source_open = true;
                }
                // A requested export is written here, between frames, never while drawing.
                export::export_pending(&mut app, std::path::Path::new("."), chrono::Utc::now());
                if let Some(target) = app.log_request.take() {
                    match options_for_logs(&app, &source) {
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
            msg = source.recv(), if source_open => {
                match msg {
                    Some((index, generation, msg)) => {
                        app.apply_from(index, generation, msg);
                        // Drain the whole queue before drawing once.
                        while let Some((index, generation, msg)) = source.try_recv() {
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
