//! Concorde's domain: the words of a public debate (debate, phase, guiding question, participant
//! category, quartier, role) as plain types, the rules that validate them, and the one
//! authorization policy that decides who may do what. No I/O lives here, so every rule can be
//! tested in isolation and shared by the store, the web front and the command line.

pub mod contribution;
pub mod debate;
pub mod limits;
pub mod policy;
pub mod user;
pub mod validate;

pub use contribution::{Channel, MODERATION_PRESETS};
pub use debate::{Debate, DebateStatus, Phase, PhaseKind, PhaseState};
pub use policy::{Action, ContributionState, On, Resource, Subject};
pub use user::{AgeBracket, Lang, Role};
pub use validate::{FieldError, FieldErrors};
