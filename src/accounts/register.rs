//! `/register`: a student creates an account.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use diesel::Connection;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Clash, ConsentKind};
use super::pages::RegisterPage;
use super::registration::{RegisterForm, Registration, validate};
use super::tokens::{self, Purpose};
use super::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::privacy::{document::PolicyDocument, model as policy};
use crate::state::AppState;
use crate::web::form::FormErrors;
use crate::web::{PageCtx, client_ip, user_agent};

pub async fn form(ctx: PageCtx, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    render(ctx, &state, RegisterForm::default(), FormErrors::default(), StatusCode::OK).await
}

async fn render(
    ctx: PageCtx, state: &AppState, form: RegisterForm, errors: FormErrors, status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let current = db::run(&state.pool, |conn| Ok(policy::current(conn)?)).await?;
    let document = PolicyDocument::parse(current.body(ctx.lang), &state.config.support_phone);
    let page = RegisterPage {
        min_age: state.config.min_age,
        policy_version: current.number,
        policy: document,
        form,
        errors,
        ctx,
    };
    crate::web::html(status, &page)
}

enum Outcome {
    Created { id: Uuid, verify: String, guardian: Option<String> },
    Duplicate(Clash),
}

pub async fn submit(
    req: HttpRequest, ctx: PageCtx, session: Session, state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let mut form = form.into_inner();
    let registration = match validate(&form, state.clock.today(), state.config.min_age) {
        Ok(registration) => registration,
        Err(errors) => {
            form.password.clear();
            form.password_confirm.clear();
            return render(ctx, &state, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let Registration {
        student,
        password,
        photo_consent,
        guardian,
        policy_version,
        iin_hint_differs,
    } = registration;
    let hash = web::block(move || password.hash()).await?;
    let stamp = crate::web::session::credential_stamp(&hash);
    let evidence =
        json!({ "ip": client_ip(&req), "user_agent": user_agent(&req), "via": "registration" });
    let lang = ctx.lang;
    let first_name = student.first_name.as_str().to_string();
    let email = student.email.as_str().to_string();
    let guardian_contact = guardian
        .as_ref()
        .map(|g| (g.email.as_str().to_string(), g.first_name.as_str().to_string()));
    let store = state.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let keys = &store.keys;
        let outcome = conn.transaction(|conn| -> Result<Outcome, diesel::result::Error> {
            let clash = model::find_clash(conn, keys, &student.email, Some(&student.iin), Some(&student.phone))?;
            if let Some(clash) = clash {
                return Ok(Outcome::Duplicate(clash));
            }
            let version = match policy_version {
                Some(v) => policy::by_number(conn, v).or_else(|_| policy::current(conn))?,
                None => policy::current(conn)?,
            }
            .number;
            let id = model::insert_student(conn, keys, &student, &hash, lang)?;
            model::record_consent(conn, id, ConsentKind::PersonalData, version, evidence.clone())?;
            if photo_consent {
                model::record_consent(conn, id, ConsentKind::PhotoId, version, evidence.clone())?;
            }
            let guardian_token = match &guardian {
                Some(g) => {
                    model::insert_guardian(conn, keys, id, g)?;
                    Some(tokens::issue(conn, id, Purpose::GuardianConsent, now)?)
                }
                None => None,
            };
            let verify = tokens::issue(conn, id, Purpose::VerifyEmail, now)?;
            NewAuditEvent::by(id, "account.registered")
                .on("user", id)
                .details(json!({ "minor": student.minor, "photo_consent": photo_consent, "policy_version": version }))
                .record(conn)?;
            Ok(Outcome::Created { id, verify, guardian: guardian_token })
        });
        match outcome {
            // Two registrations with the same details at once: the unique indexes decide.
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Ok(Outcome::Duplicate(Clash { email_owner: None }))
            }
            other => Ok(other?),
        }
    })
    .await?;

    match outcome {
        Outcome::Duplicate(clash) => {
            if let Some(owner) = clash.email_owner {
                tell_owner(&state, owner).await;
            }
            form.password.clear();
            form.password_confirm.clear();
            let mut errors = FormErrors::default();
            errors.add("form", "registration-error-duplicate");
            render(ctx, &state, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Outcome::Created { id, verify, guardian } => {
            let link = signed_in::link(&state, &format!("/verify-email?token={verify}"));
            signed_in::send(&state, mails::verify_email(lang, &email, &first_name, link)).await;
            if let (Some(token), Some((guardian_email, guardian_name))) =
                (guardian, guardian_contact)
            {
                let link = signed_in::link(&state, &format!("/guardian/confirm?token={token}"));
                let mail = mails::guardian_request(
                    lang,
                    &guardian_email,
                    &guardian_name,
                    &first_name,
                    link,
                );
                signed_in::send(&state, mail).await;
            }
            signed_in::start(&session, &req, id, &first_name, "student", stamp)?;
            let mut message = lang.t("registration-done");
            if iin_hint_differs {
                message.push(' ');
                message.push_str(&lang.t("registration-iin-hint-differs"));
            }
            ctx.flash(message);
            Ok(crate::web::see_other("/me"))
        }
    }
}

/// Someone tried to register with this person's email: they hear of it, in their language.
async fn tell_owner(state: &web::Data<AppState>, owner: Uuid) {
    let store = state.clone();
    let found = db::run(&state.pool, move |conn| {
        let row = model::by_id(conn, owner)?;
        Ok(row.email(&store.keys).map(|email| (email, row.first_name.clone(), row.lang())))
    })
    .await;
    // The page answers the same either way; only the mail to the owner is lost (an address
    // that does not open is logged by `UserRow::email`).
    let (email, first_name, lang) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(user = %owner, error = %e, "cannot tell the owner of a registration attempt");
            return;
        }
    };
    let link = signed_in::link(state, "/password/forgot");
    signed_in::send(state, mails::registration_attempt(lang, &email, &first_name, link)).await;
}
