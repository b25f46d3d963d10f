//! The Lua hook runtime.

pub mod config;
mod convert;
