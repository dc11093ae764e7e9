//! Concorde's events: neighbourhood workshops, mediation ("aller vers") and the sessions of a
//! conference programme (the Assises). This crate holds what an event *is* and the rules
//! around it — the form's validation, who gets a seat, when registering is open — and
//! writes iCalendar files. It does no I/O: storage, mail and pages build on it.

pub mod contact;
pub mod draft;
pub mod ics;
pub mod kind;
pub mod local_time;
pub mod registration;

pub use contact::{Contact, ContactDraft};
pub use draft::{EventDraft, EventInput};
pub use ics::IcsEvent;
pub use kind::{Accessibility, EventKind, EventStatus, Publication};
pub use registration::{
    Placement, RegistrationRefusal, RegistrationWindow, place, places_left, registration_open,
};
