//! What an instructor makes from the notebooks, a module per command: slide types and
//! presenting (`slides`), the learner edition (`learner`), the day's collaborative document
//! (`collab`) and web pages of the executed notebooks (`html`). It stands on `base`, and on
//! `setup` for JupyterLab (`present`) and the Python environment (`html`).

pub mod collab;
pub mod html;
pub mod learner;
pub mod slides;
