//! dslim: rewrites Dockerfiles so the images they build are smaller, cache
//! better and stay correct.
//!
//! Data flows one way: [`syntax`] knows nothing of transforms; [`shell`]
//! knows only `syntax`; transforms know `syntax`, `shell` and [`edit`];
//! the [`pipeline`] knows transforms only through the registry; `cli` sits
//! on top.

pub mod syntax;
