//! dslim: rewrites Dockerfiles so the images they build are smaller, cache
//! better and stay correct.
//!
//! Data flows one way: [`syntax`] knows nothing of transforms; [`shell`]
//! knows only `syntax`; transforms know `syntax`, `shell` and [`edit`];
//! the [`pipeline`] knows transforms only through the registry; `cli` and
//! the language server ([`server`]) sit on top.

pub mod buildctx;
pub mod cli;
pub mod compare;
pub mod config;
pub mod data;
pub mod edit;
pub mod finding;
pub mod format;
pub mod fsutil;
pub mod meta;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod resolver;
pub mod server;
pub mod shell;
pub mod suppression;
pub mod syntax;
pub mod transform;
pub mod transforms;
pub mod walk;
