//! One error type for every handler.
//!
//! `AppError` only decides the status code; the error-page middleware (`web::error_pages`)
//! renders the localised page with the request id, so no handler ever shows internals.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in: sent to the sign-in page, and back to `.0` afterwards.
    #[error("sign-in required")]
    SignInRequired(String),
    /// Too many attempts; the page says when to try again.
    #[error("too many requests")]
    TooManyRequests,
    #[error("bad request")]
    BadRequest,
    #[error("unprocessable input")]
    Unprocessable,
    /// The database could not be reached in time: a 503, retried by the user or the proxy.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected. The message is logged with the request id, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::SignInRequired(back_to) = self {
            let next: String = form_urlencoded::byte_serialize(back_to.as_bytes()).collect();
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, format!("/login?next={next}")))
                .finish();
        }
        // Replaced by the localised error page on the way out.
        HttpResponse::build(self.status_code()).finish()
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            // The server went away (a restart): the pool replaces the connection, and the
            // person is told to try again rather than that something broke.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ClosedConnection,
                info,
            ) => AppError::Unavailable(info.message().to_string()),
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> AppError {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> AppError {
        // The blocking closure panicked or the pool is shutting down.
        AppError::internal(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_row_is_a_404_and_other_database_errors_are_500s() {
        let not_found: AppError = diesel::result::Error::NotFound.into();
        assert_eq!(not_found.status_code(), StatusCode::NOT_FOUND);
        let other: AppError = diesel::result::Error::BrokenTransactionManager.into();
        assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
