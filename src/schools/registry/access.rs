//! Who works at which school: every staff handler starts from the user's membership, and every
//! query it makes is limited to that school, so another school's ids are not found.
//!
//! As extractors: `SchoolMember` (anyone who works at a school), `SchoolManager`, and
//! `SchoolInstructor`; each refuses everyone else with 403 before the handler runs.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::model::{self, Membership};
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::auth::{CurrentUser, RequireRole, SchoolStaff};

/// The school this user works for; anyone else is refused.
pub async fn member(state: &AppState, user: &CurrentUser) -> Result<Membership, AppError> {
    user.require(<SchoolStaff as crate::web::auth::Roles>::ROLES)?;
    let id = user.id;
    db::read(&state.pool, move |conn| Ok(model::membership(conn, id)?))
        .await?
        .ok_or(AppError::Forbidden)
}

pub async fn manager(state: &AppState, user: &CurrentUser) -> Result<Membership, AppError> {
    let membership = member(state, user).await?;
    if membership.manager { Ok(membership) } else { Err(AppError::Forbidden) }
}

/// A signed-in member of a school's staff, with their membership.
#[derive(Debug)]
pub struct SchoolMember {
    pub user: CurrentUser,
    pub membership: Membership,
}

/// A school's manager.
#[derive(Debug)]
pub struct SchoolManager {
    pub user: CurrentUser,
    pub membership: Membership,
}

/// An instructor of a school.
#[derive(Debug)]
pub struct SchoolInstructor {
    pub user: CurrentUser,
    pub membership: Membership,
}

/// The staff member and their membership, or the refusal.
fn membership_of(
    req: &HttpRequest, payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<(CurrentUser, Membership), actix_web::Error>> {
    let user = RequireRole::<SchoolStaff>::from_request(req, payload);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let user = user.await?.into_inner();
        let state = state.ok_or_else(|| AppError::internal("no application state"))?;
        let id = user.id;
        let membership = db::read(&state.pool, move |conn| Ok(model::membership(conn, id)?))
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok((user, membership))
    })
}

macro_rules! member_extractor {
    ($name:ident, $admits:expr) => {
        impl FromRequest for $name {
            type Error = actix_web::Error;
            type Future = LocalBoxFuture<'static, Result<$name, actix_web::Error>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let found = membership_of(req, payload);
                Box::pin(async move {
                    let (user, membership) = found.await?;
                    let admits: fn(&Membership) -> bool = $admits;
                    if !admits(&membership) {
                        return Err(AppError::Forbidden.into());
                    }
                    Ok($name { user, membership })
                })
            }
        }
    };
}

member_extractor!(SchoolMember, |_| true);
member_extractor!(SchoolManager, |m| m.manager);
member_extractor!(SchoolInstructor, |m| m.instructor);
