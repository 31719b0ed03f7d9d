//! One module per `tnw` command: its arguments and what it does with them.

pub mod audit;
pub mod backup;
pub mod bench;
pub mod demo;
pub mod due;
pub mod gen;
pub mod import;
pub mod migrate;
pub mod outbox;
pub mod report;
pub mod restore;
pub mod rules;
pub mod serve;
pub mod status;
pub mod survey;
pub mod timeline;
pub mod user;
