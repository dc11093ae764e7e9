//! The weighting crate's one integration-test binary: the published example, properties,
//! the synthetic panel's files, and the comparison with R's survey package.

mod files;
mod kalton;
mod properties;
mod r_survey;
