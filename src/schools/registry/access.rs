//! Who works at which school: every staff handler starts from the user's membership, and every
//! query it makes is limited to that school, so another school's ids are not found.

use super::model::{self, Membership};
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::auth::CurrentUser;

/// The school this user works for; anyone else is refused.
pub async fn member(state: &AppState, user: &CurrentUser) -> Result<Membership, AppError> {
    user.require(&[Role::SchoolStaff, Role::Instructor])?;
    let id = user.id;
    db::run(&state.pool, move |conn| Ok(model::membership(conn, id)?))
        .await?
        .ok_or(AppError::Forbidden)
}

pub async fn manager(state: &AppState, user: &CurrentUser) -> Result<Membership, AppError> {
    let membership = member(state, user).await?;
    if membership.manager {
        Ok(membership)
    } else {
        Err(AppError::Forbidden)
    }
}
