//! Test support shared by the crates' tests (a dev-dependency only, never of the
//! product): fresh databases of either backend ([`db`]), two tests per test body, one
//! on each backend ([`on_both_backends!`]), and a real SMTP server on loopback
//! ([`smtp`]).

pub mod db;
pub mod smtp;

pub use db::{Backend, FreshDb};
pub use smtp::Sink;
