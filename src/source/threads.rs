//! Work on a few threads, results taken in the order of the work: reading a directory's files
//! in parallel without changing what the load produces.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// The threads reading files: the machine's cores, at most four (reading a file is parsing,
/// and more threads than cores only add switching); `SHIPSHAPE_READ_THREADS` sets it.
pub fn read_threads() -> usize {
    if let Some(n) = std::env::var("SHIPSHAPE_READ_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return n.clamp(1, 64);
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Runs `work` on each item on up to `threads` threads, and `take` on each result on this
/// thread, in the items' order. The first error from `take` ends the run (work not yet taken
/// is dropped) and is returned.
pub fn in_order_on_threads<I: Sync, R: Send, E>(
    items: &[I],
    threads: usize,
    work: impl Fn(&I) -> R + Sync,
    mut take: impl FnMut(&I, R) -> Result<(), E>,
) -> Result<(), E> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().try_for_each(|i| take(i, work(i)));
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || stop.load(Ordering::Relaxed) {
                    return;
                }
                if tx.send((i, work(&items[i]))).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        // Results that came early, until their turn.
        let mut waiting = BTreeMap::new();
        let mut turn = 0;
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&turn) {
                if let Err(e) = take(&items[turn], result) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                turn += 1;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_taken_in_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 4] {
            let mut seen = Vec::new();
            in_order_on_threads(
                &items,
                threads,
                |i| {
                    // Uneven work, so results arrive out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                    i * 2
                },
                |i, r| {
                    assert_eq!(r, i * 2);
                    seen.push(*i);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
            assert_eq!(seen, items, "{threads} threads");
        }
    }

    #[test]
    fn the_first_error_in_order_is_returned() {
        let items: Vec<u32> = (0..100).collect();
        let mut taken = 0;
        let e = in_order_on_threads(
            &items,
            2,
            |i| *i,
            |_, r| {
                taken += 1;
                if r >= 30 {
                    Err(r)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(e, Err(30));
        assert_eq!(taken, 31);
    }
}
