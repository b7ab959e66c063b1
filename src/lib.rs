//! jianggao (讲稿): analysis of Chinese official speech drafts, served over LSP and on
//! the command line.
//!
//! Layers, lowest first; a module imports only from layers below it:
//! `text` and `config` → `knowledge` → `analysis` (the structure model) → `rules` →
//! `document` (rope, caches, orchestration) → `features` (editor features, formatting)
//! → the file adapters `textfile` (encodings) and `docx` (Word documents in and out)
//! → the front ends `cli`, `lsp` and `web`.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod document;
pub mod docx;
pub mod features;
pub mod knowledge;
pub mod lsp;
pub mod rules;
pub mod text;
pub mod textfile;
pub mod web;
