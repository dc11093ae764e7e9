//! The final report of a debate, as data and rules: what a section and a citation are, how an
//! analyst's Markdown becomes HTML that can carry no script, what a frozen version holds (so that
//! published figures never drift), the differences between two versions, and the coverage audit
//! computed over plain rows. Storage, pages, the API and the PDF build on it; it does no I/O.

pub mod coverage;
pub mod diff;
pub mod draft;
pub mod followup;
pub mod markdown;
pub mod model;

pub use coverage::{Cover, Coverage, CoverageRow, Dimension, Share};
pub use diff::{Change, SectionDiff, diff};
pub use draft::{CitationDraft, SectionDraft, SectionInput, excerpt_in_text};
pub use model::{
    CitationKind, CitedContribution, CitedEvent, CitedTheme, Figures, FrozenCitation,
    FrozenSection, SectionKind, Snapshot, VersionState,
};
