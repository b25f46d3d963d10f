//! The Lua hook runtime.
