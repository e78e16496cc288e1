//! Kernel ▸ Interrupt (■, `I I`) in the notebooks: the crate's long loops stop, and every
//! variable stays, as `KeyboardInterrupt` does in a Python notebook.
//!
//! The rust-dlintro kernel turns an interrupt into SIGINT for the process that runs the cells,
//! whose handler (`handler.rs`, installed by the kernel's prelude) counts it. The loops that
//! can run for long — [`Sequential::fit`](crate::model::Sequential::fit) after every batch,
//! and so the learning curves' fits and the animations' recorder that run inside it,
//! [`Sequential::predict`](crate::model::Sequential::predict) between blocks of rows — ask
//! [`requested`], stop, and say so in one line; `fit` returns the [`History`] of the epochs
//! it finished, [`StopReason::Interrupted`], and the model keeps the weights it reached.
//!
//! An interrupt holds for the rest of the cell it arrived in: a cell that calls `fit` in a
//! loop of its own ends quickly, every later `fit` in it returning at once. The next cell
//! starts afresh. (evcxr compiles every cell into a library of its own, with its own copy of
//! this module's statics: the copy's first question fixes which interrupts are its cell's.)
//! A second interrupt that nothing answered ends the cell's process, as Kernel ▸ Interrupt
//! did before, with one line that says so.
//!
//! Outside the kernel nothing changes: no handler is installed and [`requested`] is false.
//!
//! [`History`]: crate::train::History
//! [`StopReason::Interrupted`]: crate::train::StopReason::Interrupted

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::OnceLock;

/// The environment variable where the handler says where its counts are: "pid:address".
const PUBLISHED: &str = "DLINTRO_INTERRUPTS";

/// The process-wide counts, [received, answered], and how many had arrived when this copy of
/// the crate (this cell) first asked.
struct Cell {
    counts: &'static [AtomicU32; 2],
    before: u32,
}

/// This copy's view, fixed by its first question; `None` outside the kernel.
static CELL: OnceLock<Option<Cell>> = OnceLock::new();
/// Whether a loop of this cell already said that it was interrupted.
static TOLD: AtomicBool = AtomicBool::new(false);

/// Whether Kernel ▸ Interrupt was pressed during this cell: a loop of your own can ask it
/// after every step and `break`, as `fit` does. Outside the kernel, always false.
///
/// ```
/// let mut steps = 0;
/// for _ in 0..1000 {
///     if dlintro::interrupt::requested() {
///         break;
///     }
///     steps += 1;
/// }
/// assert_eq!(steps, 1000);
/// ```
pub fn requested() -> bool {
    let Some(cell) = CELL.get_or_init(first_question) else {
        return false;
    };
    let received = cell.counts[0].load(Ordering::SeqCst);
    if received > cell.before {
        // Answered: a second interrupt is not a second unanswered one.
        cell.counts[1].fetch_max(received, Ordering::SeqCst);
        return true;
    }
    false
}

/// True the first time a loop of this cell reports an interrupt, false after: one line per
/// cell however many loops stop.
pub(crate) fn first_report() -> bool {
    !TOLD.swap(true, Ordering::SeqCst)
}

/// The counts and the interrupts that arrived before this cell's first question, which it
/// forgives: they came while nothing of the crate was running (or before an earlier cell
/// ended). In the kernel without a handler (evcxr restarted the process, which has no
/// prelude) this installs one.
fn first_question() -> Option<Cell> {
    let counts = published().or_else(|| {
        std::env::var_os("DLINTRO_KERNEL")?;
        install();
        published()
    })?;
    let before = counts[0].load(Ordering::SeqCst);
    counts[1].fetch_max(before, Ordering::SeqCst);
    Some(Cell { counts, before })
}

/// The handler's counts, if this process has a handler.
fn published() -> Option<&'static [AtomicU32; 2]> {
    let text = std::env::var(PUBLISHED).ok()?;
    let (pid, address) = text.split_once(':')?;
    if pid.parse::<u32>().ok()? != std::process::id() {
        // Inherited from the process that started this one: not ours.
        return None;
    }
    let address: usize = address.parse().ok()?;
    // SAFETY: the handler block published the address of its `static` counts in this very
    // process (the pid says so); a static lives as long as the process, since evcxr never
    // unloads a cell's library.
    Some(unsafe { &*(address as *const [AtomicU32; 2]) })
}

#[cfg(unix)]
fn install() {
    include!("handler.rs")
}

#[cfg(not(unix))]
fn install() {}
