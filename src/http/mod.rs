//! The HTTP server and WordPress REST conventions.
