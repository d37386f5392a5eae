//! `/register`: a student creates an account.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use diesel::Connection;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, ConsentKind};
use super::pages::RegisterPage;
use super::registration::{RegisterForm, Registration, validate};
use super::tokens::{self, Purpose};
use super::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::limits::{self, Limit};
use crate::privacy::model as policy;
use crate::state::AppState;
use crate::web::form::FormErrors;
use crate::web::{PageCtx, client_ip, user_agent};

pub async fn form(ctx: PageCtx, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    render(ctx, &state, RegisterForm::default(), FormErrors::default(), StatusCode::OK).await
}

async fn render(
    ctx: PageCtx, state: &AppState, form: RegisterForm, errors: FormErrors, status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let current = db::read(&state.pool, |conn| Ok(policy::current(conn)?)).await?;
    let document = crate::privacy::rendered(state, current.id, ctx.lang).await?;
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
    Created {
        verify: String,
        guardian: Option<String>,
    },
    /// The email, IIN or phone is taken; the account that holds it (if one is found) is told.
    Duplicate(Option<Uuid>),
}

/// Registrations (each a password hash and up to two mails) one client address may send.
fn sender_limits(ip: &str) -> Vec<(Limit, String)> {
    vec![
        (limits::EXPENSIVE_PER_ADDRESS, ip.to_string()),
        (limits::MAILS_PER_SENDER, ip.to_string()),
    ]
}

/// A fresh registration and one whose email or IIN is taken answer alike (the same redirect,
/// message and work, the password hashed either way): the page never tells who has an account.
/// The new account's owner, or the existing one's, hears by mail, sent after the answer.
pub async fn submit(
    req: HttpRequest, ctx: PageCtx, state: web::Data<AppState>, form: web::Form<RegisterForm>,
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
    let ip = client_ip(&req);
    if !signed_in::mail_allowed(&state, sender_limits(&ip)).await? {
        form.password.clear();
        form.password_confirm.clear();
        let errors = FormErrors::one("form", "limits-too-many");
        return render(ctx, &state, form, errors, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let Registration {
        student,
        password,
        photo_consent,
        guardian,
        policy_version,
        iin_hint_differs,
    } = registration;
    let hash = state.hashing.run(move || password.hash()).await?;
    let evidence = json!({ "ip": ip, "user_agent": user_agent(&req), "via": "registration" });
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
                return Ok(Outcome::Duplicate(clash.owner));
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
            Ok(Outcome::Created { verify, guardian: guardian_token })
        });
        match outcome {
            // Two registrations with the same details at once: the unique indexes decide.
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Ok(Outcome::Duplicate(None))
            }
            other => Ok(other?),
        }
    })
    .await?;

    let mail_state = state.clone();
    match outcome {
        Outcome::Duplicate(owner) => {
            if let Some(owner) = owner {
                signed_in::later(async move { tell_owner(&mail_state, owner).await });
            }
        }
        Outcome::Created { verify, guardian } => signed_in::later(async move {
            let state = &mail_state;
            let link = signed_in::link(state, &format!("/verify-email?token={verify}"));
            signed_in::send(state, mails::verify_email(lang, &email, &first_name, link)).await;
            if let (Some(token), Some((guardian_email, guardian_name))) =
                (guardian, guardian_contact)
            {
                tell_guardian(state, lang, token, &guardian_email, &guardian_name, &first_name)
                    .await;
            }
        }),
    }
    let mut message = lang.t("registration-sent");
    if iin_hint_differs {
        message.push(' ');
        message.push_str(&lang.t("registration-iin-hint-differs"));
    }
    ctx.flash(message);
    Ok(crate::web::see_other("/login"))
}

/// The guardian's request, at most `MAILS_PER_RECIPIENT` an hour to one address: registering
/// made-up minors cannot flood a stranger named as their guardian.
async fn tell_guardian(
    state: &web::Data<AppState>, lang: crate::i18n::Lang, token: String, to: &str, name: &str,
    student: &str,
) {
    let limit = vec![(limits::MAILS_PER_RECIPIENT, format!("guardian:{}", to.to_lowercase()))];
    match signed_in::mail_allowed(state, limit).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(error = %e, "the guardian's mail limit could not be checked");
            return;
        }
    }
    let link = signed_in::link(state, &format!("/guardian/confirm?token={token}"));
    signed_in::send(state, mails::guardian_request(lang, to, name, student, link)).await;
}

/// Someone tried to register with this person's email or details: they hear of it, in their
/// language, at most once a day.
async fn tell_owner(state: &web::Data<AppState>, owner: Uuid) {
    let limit = vec![(limits::REGISTRATION_ATTEMPT_MAIL, owner.to_string())];
    match signed_in::mail_allowed(state, limit).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(user = %owner, error = %e, "the attempt mail's limit could not be checked");
            return;
        }
    }
    let store = state.clone();
    let found = db::run(&state.pool, move |conn| {
        let row = model::by_id(conn, owner)?;
        Ok(row.email(&store.keys).map(|email| (email, row.first_name.clone(), row.lang())))
    })
    .await;
    // Only the mail to the owner is lost (an address that does not open is logged by
    // `UserRow::email`).
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
