//! Set-up: the Python environment (`env`), the evcxr kernel and its kernelspec (`kernel`),
//! JupyterLab's settings (`lab_settings`), the set-up run that puts them in place (`steps`,
//! each step's time in `times`), and the commands that set up first (`commands`: `setup`,
//! `test`, `lab`). It stands on `base`; `bench` and `publish` use it.

pub mod commands;
pub mod env;
pub mod kernel;
pub mod lab_settings;
pub mod steps;
pub mod times;
