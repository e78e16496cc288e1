//! Set-up: the Python environment, the evcxr kernel and its kernelspec, JupyterLab's settings,
//! and the steps that put them in place.

pub mod commands;
pub mod env;
pub mod kernel;
pub mod lab_settings;
pub mod steps;
pub mod times;
