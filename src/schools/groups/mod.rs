//! Training groups and enrolment: managers create groups and step their status, students
//! apply, staff accept or reject, add by IIN, move between groups and withdraw; rosters.

pub mod handlers;
pub mod model;
pub mod moves;
pub mod pages;
pub mod roster;
pub mod roster_model;
