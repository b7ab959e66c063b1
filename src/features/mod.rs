//! Editor features computed by the core (hover, completion, navigation). The LSP layer
//! only converts their results.
