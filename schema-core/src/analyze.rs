//! Analysis.
/// Project.
pub struct Project;
/// Analysis.
pub struct Analysis;
/// Analyze.
pub fn analyze() {}
