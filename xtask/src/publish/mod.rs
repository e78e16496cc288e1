//! What an instructor makes from the notebooks: slide types and presenting, the learner
//! edition, the day's collaborative document and web pages of the executed notebooks.

pub mod collab;
pub mod html;
pub mod learner;
pub mod slides;
