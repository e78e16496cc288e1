// The SIGINT handler of the process that runs a rust-dlintro kernel's cells, as one block.
//
// Kernel ▸ Interrupt (■, `I I`) sends SIGINT to the kernel's processes (the kernelspec asks
// for `"interrupt_mode": "signal"`; launch_kernel.py makes evcxr itself ignore it). This
// handler counts the interrupts in COUNTS[0]; a loop of dlintro's that sees a new one stops
// and counts it as answered in COUNTS[1] (crate/src/interrupt/mod.rs). A second interrupt that
// nothing answered (the cell runs a loop of its own) ends the process, as evcxr's own
// interrupt did, with one line that says so; evcxr then starts a fresh one.
//
// The kernel's prelude (xtask/src/setup/kernel.rs) runs this block when the kernel starts,
// before any `:dep`; the crate runs it (`include!`) in a process that has none, e.g. after
// evcxr restarted the process. It publishes where COUNTS lives in DLINTRO_INTERRUPTS
// ("pid:address"): every cell is a library of its own with its own copy of dlintro's statics,
// so the one handler's counts can only be found through the process.
// Everything the handler does is async-signal-safe: atomics, write(2), _exit(2).
{
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTS: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];
    const SECOND: &[u8] = concat!(
        "Interrupted twice: this cell runs a loop that no interrupt stops (only dlintro's ",
        "loops check for one), so its process was ended and every variable is lost: run the ",
        "cells above again.\n"
    )
    .as_bytes();
    unsafe extern "C" {
        fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
        fn write(fd: i32, bytes: *const u8, count: usize) -> isize;
        fn _exit(status: i32) -> !;
    }
    extern "C" fn on_interrupt(_: i32) {
        let received = COUNTS[0].fetch_add(1, Ordering::SeqCst) + 1;
        if received >= COUNTS[1].load(Ordering::SeqCst) + 2 {
            unsafe {
                write(1, SECOND.as_ptr(), SECOND.len());
                _exit(130);
            }
        }
    }
    let published = format!("{}:{}", std::process::id(), COUNTS.as_ptr() as usize);
    unsafe {
        signal(2, on_interrupt);
        std::env::set_var("DLINTRO_INTERRUPTS", published);
    }
}
