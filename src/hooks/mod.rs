//! The Lua hook runtime (placeholder config until the runtime lands).

use serde::{Deserialize, Serialize};

/// `[hooks]`: merchant scripts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HooksConfig {
    /// Folder holding the scripts.
    pub dir: String,
}
