//! The school as an organisation: the school itself and its branches, administrators adding
//! schools and staff, managers inviting staff, and who works where.

pub mod access;
pub mod admin;
pub mod branches;
pub mod invitations;
pub mod model;
pub mod pages;
