//! A school's application to be listed: a representative applies, an administrator approves
//! (the school appears and the applicant becomes its manager) or rejects with a reason.

pub mod handlers;
pub mod model;
