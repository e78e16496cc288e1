//! Kernel ▸ Interrupt as the kernel's process sees it: SIGINT. Its own test binary, because an
//! interrupt holds for the rest of the process here (the whole binary is one "cell").

use std::process::Command;
use std::time::{Duration, Instant};

use dlintro::prelude::*;
use dlintro::train::StopReason;

extern "C" {
    fn kill(pid: i32, signal: i32) -> i32;
}

const SIGINT: i32 = 2;

fn interrupt_me() {
    // SAFETY: kill(2) with our own pid and SIGINT, whose handler the crate has installed.
    assert_eq!(unsafe { kill(std::process::id() as i32, SIGINT) }, 0);
}

/// As in the kernel: DLINTRO_KERNEL set, so the first question installs the handler.
fn as_in_the_kernel() {
    std::env::set_var("DLINTRO_KERNEL", "rust-dlintro");
    assert!(!dlintro::interrupt::requested());
}

#[test]
fn an_interrupt_stops_fit_after_a_batch_and_every_later_loop_of_the_cell() {
    if std::env::var_os("DLINTRO_SECOND_INTERRUPT").is_some() {
        return;
    }
    as_in_the_kernel();
    seed(1);
    let x = Tensor::from_slice(&[0.0f32, 0.1, 0.9, 1.0]).reshape([4, 1]);
    let y = Tensor::from_slice(&[0i64, 0, 1, 1]);
    let mut model = Sequential::input_features(1)
        .dense(4, Activation::Relu)
        .dense(2, Activation::Softmax);
    model
        .compile(
            Loss::SparseCategoricalCrossEntropy,
            Optimizer::Adam {
                learning_rate: 0.01,
            },
        )
        .unwrap();
    let before = model.evaluate(&x, &y).unwrap().loss;
    let interrupter = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(500));
        interrupt_me();
        Instant::now()
    });
    let options = FitOptions {
        epochs: 100_000,
        verbose: Verbose::Silent,
        ..Default::default()
    };
    let history = model.fit(&x, &y, options.clone()).unwrap();
    let ended = Instant::now();
    let interrupted_at = interrupter.join().unwrap();
    assert!(history.interrupted(), "{:?}", history.stopped);
    assert_eq!(history.stopped, Some(StopReason::Interrupted));
    let epochs = history.epochs();
    assert!(epochs > 0 && epochs < 100_000, "{epochs} epochs");
    assert_eq!(history.get("loss").unwrap().len(), epochs);
    // It stopped after the batch that was running: well within a second.
    assert!(ended.duration_since(interrupted_at) < Duration::from_secs(1));
    // predict stops too, before its first block of rows.
    let after = model.predict(&x);
    assert!(
        matches!(
            after,
            Err(Error::Interrupted {
                function: "Sequential::predict",
                done: 0,
                total: 4,
                unit: "rows"
            })
        ),
        "{after:?}"
    );
    assert_eq!(
        after.unwrap_err().to_string(),
        "Sequential::predict: interrupted (Kernel ▸ Interrupt) after 0 of 4 rows"
    );
    let reached = model.evaluate(&x, &y).unwrap().loss;
    assert!(reached < before - 0.05, "loss {before} → {reached}");
    // Later loops of the same cell return at once, with nothing done.
    let again = model.fit(&x, &y, options).unwrap();
    assert_eq!(again.epochs(), 0);
    assert!(again.interrupted());
}

/// Run in a child process by the test below: an interrupt nothing answers, then a second.
#[test]
fn second_interrupt_child() {
    if std::env::var_os("DLINTRO_SECOND_INTERRUPT").is_none() {
        return;
    }
    as_in_the_kernel();
    interrupt_me();
    std::thread::sleep(Duration::from_millis(200));
    println!("still running after the first interrupt");
    interrupt_me();
    std::thread::sleep(Duration::from_secs(5));
    println!("still running after the second interrupt");
}

#[test]
fn a_second_interrupt_that_nothing_answered_ends_the_process_with_one_line() {
    if std::env::var_os("DLINTRO_SECOND_INTERRUPT").is_some() {
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "second_interrupt_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DLINTRO_SECOND_INTERRUPT", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(
        stdout.contains("still running after the first interrupt"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("still running after the second"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "still running after the first interrupt\nInterrupted twice: this cell runs a loop that no interrupt stops (only dlintro's \
             loops check for one), so its process was ended and every variable is lost: run the \
             cells above again.\n"
        ),
        "{stdout}"
    );
}
