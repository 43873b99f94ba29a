//! Why a report cannot be rendered.

/// A renderer's failure: the report could not be laid out in its format
/// (a library's error, in words). Writing it is the output stage's.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A format could not render the report.
    #[error("{0}")]
    Render(String),
}
