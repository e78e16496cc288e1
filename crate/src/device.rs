//! Where tensors live: the GPU when one is usable, the CPU otherwise.
//!
//! On the CPU, libtorch runs each operation on one thread (see [`device`]).
//!
//! The linker drops `libtorch_cuda` from the link because no symbol of it is named directly,
//! so libtorch would report "no CUDA" even on a GPU machine. [`device`] loads the library
//! itself first, once, before anything asks libtorch about CUDA (libtorch remembers its first
//! answer for the whole process).

use std::sync::OnceLock;

pub use tch::Device;

/// What was found when looking for a GPU, for the Setup Testing checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuInfo {
    /// How many CUDA devices libtorch sees.
    pub count: usize,
    /// The first GPU's name and memory, from `nvidia-smi` when it is installed.
    pub description: Option<String>,
}

struct Probe {
    device: Device,
    cuda_library: std::result::Result<(), String>,
}

fn probe() -> &'static Probe {
    static PROBE: OnceLock<Probe> = OnceLock::new();
    PROBE.get_or_init(|| {
        let cuda_library = load_cuda_library();
        let device = if tch::Cuda::is_available() {
            Device::Cuda(0)
        } else {
            // The workshop's models are small: a batch of 32 through a few dense layers is
            // microseconds of work per operation, and a pool of threads spends more on waking
            // and waiting than it saves. On two cores shared with other work, libtorch's
            // default pool made the weather notebook's network 20–50 times slower than one
            // thread (12–30 s against 0.6 s for 30 epochs).
            tch::set_num_threads(1);
            Device::Cpu
        };
        Probe {
            device,
            cuda_library,
        }
    })
}

#[cfg(unix)]
fn load_cuda_library() -> std::result::Result<(), String> {
    use libloading::os::unix::{Library, RTLD_GLOBAL, RTLD_NOW};
    let name = if cfg!(target_os = "macos") {
        return Err("macOS builds of libtorch have no CUDA".into());
    } else {
        "libtorch_cuda.so"
    };
    // SAFETY: loading libtorch_cuda runs its static initialisers, which register the CUDA
    // backend with the libtorch already loaded into this process; that is all we want.
    match unsafe { Library::open(Some(name), RTLD_NOW | RTLD_GLOBAL) } {
        Ok(library) => {
            // Keep it loaded for the life of the process.
            std::mem::forget(library);
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}

#[cfg(windows)]
fn load_cuda_library() -> std::result::Result<(), String> {
    // SAFETY: as on unix, the library only registers the CUDA backend.
    match unsafe { libloading::Library::new("torch_cuda.dll") } {
        Ok(library) => {
            std::mem::forget(library);
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}

/// The device every model and tensor of the workshop uses: `Cuda(0)` when a GPU is usable,
/// `Cpu` otherwise. The answer is computed once per process; on the CPU, the first call also
/// sets libtorch to one thread per operation, which is fastest for models this small.
///
/// ```
/// let device = dlintro::device();
/// assert!(matches!(device, tch::Device::Cpu | tch::Device::Cuda(0)));
/// ```
pub fn device() -> Device {
    probe().device
}

/// Why libtorch's CUDA library could not be loaded, or `None` when it was.
pub fn cuda_library_problem() -> Option<String> {
    probe().cuda_library.clone().err()
}

/// The GPUs libtorch can use, or `None` when there are none.
pub fn gpu() -> Option<GpuInfo> {
    if device() == Device::Cpu {
        return None;
    }
    let count = tch::Cuda::device_count().max(0) as usize;
    let description = std::process::Command::new("nvidia-smi")
        .args([
            "--query-gpu=name,memory.total",
            "--format=csv,noheader",
            "--id=0",
        ])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .replace(", ", ", memory ")
        })
        .filter(|text| !text.is_empty());
    Some(GpuInfo { count, description })
}

/// The number of CPU threads libtorch uses for one operation.
pub fn cpu_threads() -> usize {
    tch::get_num_threads().max(1) as usize
}
