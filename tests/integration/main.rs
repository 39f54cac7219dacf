//! End-to-end tests: each module runs the built `taller` binary on fixtures,
//! as a coordinator would, and checks what they would see.

mod certificates;
mod cli;
mod common;
mod conformance;
mod followup;
mod forget;
mod handouts;
mod hostile;
mod import;
mod names;
mod online;
mod platforms;
mod privacy;
mod programme;
mod retention;
mod run;
mod send;
mod site;
mod templates;
