//! jianggao (讲稿): analysis of Chinese official speech drafts, served over LSP and on
//! the command line.
//!
//! The core (`text`, `document`, `analysis`, `rules`, `knowledge`, `config`) knows
//! nothing of LSP; `lsp` adapts it to the protocol and `cli` to the terminal.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod document;
pub mod features;
pub mod format;
pub mod knowledge;
pub mod lsp;
pub mod rules;
pub mod text;
