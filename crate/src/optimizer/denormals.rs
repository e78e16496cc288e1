//! Denormal floats flushed to zero while the optimizer updates the weights.
//!
//! Adam keeps a moving average of every gradient's square. For weights whose gradients are
//! nearly zero that average sinks below `f32::MIN_POSITIVE` (1.2e-38) into the denormal
//! range, where x86 processors take a slow path for every operation: on notebook 10's weather
//! network the update's `lerp` and `addcdiv` took most of a fit's time. TensorFlow (and so
//! Keras on it) computes with denormals flushed to zero; PyTorch offers it as
//! `torch.set_flush_denormal(True)`. [`FlushDenormals`] sets the processor's two flags for
//! that (flush-to-zero and denormals-are-zero) on the calling thread and puts the old ones
//! back when it is dropped. It guards only the update (`update.rs`): the forward pass and the
//! loss keep denormals, because the floor of a cross-entropy of probabilities,
//! `loss::MIN_PROBABILITY` (e^−100, as PyTorch's), is itself a denormal f32 that would read
//! as zero and make `log` infinite.
//! libtorch runs the CPU's operations on the calling thread (one thread: see `device`), so
//! the flags reach every operation of the update.

/// While alive, denormal floats are read and written as zero on this thread (x86-64; on
/// other processors it does nothing).
pub(crate) struct FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
}

/// MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6) flags.
#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = 0x8040;

impl FlushDenormals {
    pub(crate) fn new() -> FlushDenormals {
        #[cfg(target_arch = "x86_64")]
        {
            let saved = read_mxcsr();
            write_mxcsr(saved | FTZ_DAZ);
            FlushDenormals { saved }
        }
        #[cfg(not(target_arch = "x86_64"))]
        FlushDenormals {}
    }
}

impl Drop for FlushDenormals {
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        write_mxcsr(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
fn read_mxcsr() -> u32 {
    let mut value: u32 = 0;
    // SAFETY: `stmxcsr` stores the 32-bit MXCSR register at the given address, a local.
    unsafe {
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut value, options(nostack, preserves_flags));
    }
    value
}

#[cfg(target_arch = "x86_64")]
fn write_mxcsr(value: u32) {
    // SAFETY: `ldmxcsr` loads MXCSR from the given address; the value is one read from the
    // register with only the FTZ and DAZ flags changed, or the value read before.
    unsafe {
        std::arch::asm!("ldmxcsr [{}]", in(reg) &value, options(nostack, preserves_flags));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denormals_are_zero_while_the_guard_lives_and_not_after() {
        let tiny = std::hint::black_box(1e-40f32);
        assert!(tiny > 0.0 && !tiny.is_normal(), "1e-40 is a denormal f32");
        let half = |x: f32| std::hint::black_box(x) * std::hint::black_box(0.5f32);
        {
            let _guard = FlushDenormals::new();
            if cfg!(target_arch = "x86_64") {
                assert_eq!(half(tiny), 0.0);
                // libtorch's kernels on this thread see the same flags.
                let t = tch::Tensor::from_slice(&[tiny]) * 0.5;
                assert_eq!(t.double_value(&[0]), 0.0);
            }
        }
        assert!(half(tiny) > 0.0, "denormals are back after the guard");
    }
}
