//! The dashboard: an event loop that drains source messages and input, regrades what changed,
//! and draws at most once per frame.

pub mod app;
pub mod draw;
pub mod filter;
pub mod layout;
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

/// Runs the dashboard until the user quits. `source` delivers live changes (closed when the
/// source has nothing more to say).
pub async fn run(mut app: App, mut source: UnboundedReceiver<Msg>) -> std::io::Result<()> {
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
                dirty = true;
            }
            msg = source.recv(), if source_open => {
                match msg {
                    Some(msg) => {
                        app.apply(msg);
                        // Drain the whole queue before drawing once.
                        while let Ok(msg) = source.try_recv() {
                            app.apply(msg);
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
