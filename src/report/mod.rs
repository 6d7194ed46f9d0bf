//! Reporters: one file per output format. They depend on `findings`, `source`, `ir` (spans) and
//! rule metadata only, never on front-ends or rules' logic.

pub mod console;
pub mod fingerprint;
pub mod json;
pub mod sarif;
