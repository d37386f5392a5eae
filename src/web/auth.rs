//! Who is asking: the signed-in user as an extractor, checked against the database on every
//! request (a blocked account or a revoked session stops working at once).

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::db;
use crate::domain::{AccountStatus, Role};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::session::{self, keys};

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub role: Role,
    pub status: AccountStatus,
    pub first_name: String,
    pub email_verified: bool,
    /// The device id of this session (for "sign out all other devices").
    pub device: String,
}

impl CurrentUser {
    /// Whether the user may apply to a training group: a verified email, and for a minor the
    /// guardian's consent (policy §13).
    pub fn may_enrol(&self) -> bool {
        self.email_verified && self.status == AccountStatus::Active
    }

    /// Whether the user may upload identification photos: not while a guardian's consent is
    /// awaited.
    pub fn may_upload_photos(&self) -> bool {
        self.status == AccountStatus::Active
    }

    /// Refuses with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

pub use crate::web::session::{AccountReader, SignedIn, SignedInAccount};

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<CurrentUser, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let read = req.app_data::<AccountReader>().copied();
        let path = req.path().to_string();
        Box::pin(async move {
            let sign_in = || AppError::SignInRequired(path.clone());
            let id: Uuid = session::get(&session, keys::USER_ID)
                .and_then(|id| id.parse().ok())
                .ok_or_else(sign_in)?;
            let device = session::get(&session, keys::DEVICE).unwrap_or_default();
            let state = state.ok_or_else(|| AppError::internal("no application state"))?;
            // Read with the session, in the same round trip (see `session::SignedIn`); read
            // here only when that did not happen.
            let account = match session.get::<SignedIn>(keys::ACCOUNT) {
                Ok(Some(account)) if account.id == id => Some(account),
                _ => {
                    let AccountReader(read) =
                        read.ok_or_else(|| AppError::internal("no account reader"))?;
                    let row = db::read(&state.pool, move |conn| Ok(read(conn, id)?)).await?;
                    row.map(|row| SignedIn::from(id, row))
                }
            };
            let Some(SignedIn { role, status, first_name, email_verified, stamp, .. }) = account
            else {
                session.purge();
                return Err(sign_in().into());
            };
            if session::get(&session, keys::STAMP) != Some(stamp) {
                session.purge();
                return Err(sign_in().into());
            }
            let status = AccountStatus::parse(&status);
            if status == AccountStatus::Blocked {
                session.purge();
                return Err(sign_in().into());
            }
            // The header's links follow a role changed since sign-in (an approved school
            // application, a promotion): the page built after this extractor reads it.
            if session::get(&session, keys::ROLE).as_deref() != Some(role.as_str()) {
                session.insert(keys::ROLE, &role).map_err(AppError::internal)?;
            }
            Ok(CurrentUser {
                id,
                role: Role::parse(&role)
                    .map_err(|_| AppError::internal("unknown role in the database"))?,
                status,
                first_name,
                email_verified,
                device,
            })
        })
    }
}

/// A set of roles a handler admits (see `RequireRole`).
pub trait Roles {
    const ROLES: &'static [Role];
}

macro_rules! roles {
    ($($(#[$doc:meta])* $name:ident => [$($role:ident),+];)+) => {
        $(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $name;
            impl Roles for $name {
                const ROLES: &'static [Role] = &[$(Role::$role),+];
            }
        )+
    };
}

roles! {
    /// The operator's administrators.
    Admins => [Admin];
    /// Moderators and administrators.
    Moderators => [Moderator, Admin];
    /// Students.
    Students => [Student];
    /// A school's office staff (managers, theory teachers).
    SchoolOffice => [SchoolStaff];
    /// Anyone who works at a school.
    SchoolStaff => [SchoolStaff, Instructor];
}

/// Who reviews identification photos.
#[derive(Debug)]
pub struct PhotoReviewers;
impl Roles for PhotoReviewers {
    const ROLES: &'static [Role] = &Role::PHOTO_REVIEWERS;
}

/// The signed-in user, admitted only with one of `R`'s roles (403 otherwise, sign-in first when
/// nobody is signed in). Derefs to `CurrentUser`.
#[derive(Debug)]
pub struct RequireRole<R: Roles> {
    pub user: CurrentUser,
    roles: std::marker::PhantomData<R>,
}

impl<R: Roles> RequireRole<R> {
    pub fn into_inner(self) -> CurrentUser {
        self.user
    }
}

impl<R: Roles> std::ops::Deref for RequireRole<R> {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.user
    }
}

impl<R: Roles + 'static> FromRequest for RequireRole<R> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<RequireRole<R>, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            user.require(R::ROLES)?;
            Ok(RequireRole { user, roles: std::marker::PhantomData })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(status: AccountStatus, email_verified: bool) -> CurrentUser {
        CurrentUser {
            id: Uuid::nil(),
            role: Role::Student,
            status,
            first_name: String::new(),
            email_verified,
            device: String::new(),
        }
    }

    #[test]
    fn only_verified_students_with_any_needed_guardian_consent_may_enrol() {
        assert!(user(AccountStatus::Active, true).may_enrol());
        assert!(!user(AccountStatus::Active, false).may_enrol(), "unverified email");
        assert!(!user(AccountStatus::AwaitingGuardian, true).may_enrol(), "guardian pending");
        assert!(!user(AccountStatus::AwaitingGuardian, true).may_upload_photos());
        assert!(user(AccountStatus::Active, false).may_upload_photos());
    }

    #[test]
    fn roles_are_checked() {
        let student = user(AccountStatus::Active, true);
        assert!(student.require(&[Role::Student]).is_ok());
        assert!(matches!(student.require(&[Role::Admin]), Err(AppError::Forbidden)));
    }
}
