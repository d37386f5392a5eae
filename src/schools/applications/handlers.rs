//! A school's representative applies to list the school; an administrator approves it (the
//! applicant becomes its manager) or rejects it with a reason, and the applicant gets a mail
//! in their language either way. A pending school stays off the public pages.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model as application_model;
use crate::accounts::model::{self as accounts, UserRow};
use crate::accounts::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::i18n::dates;
use crate::schools::registry::admin::{SchoolForm, parse};
use crate::schools::registry::model::{self, School, SchoolStatus};
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{Admins, RequireRole};
use crate::web::form::FormErrors;

const LIST: &str = "/admin/schools/applications";

#[derive(Template, WebTemplate)]
#[template(path = "schools/apply.html")]
pub struct ApplyPage {
    pub ctx: PageCtx,
    pub form: SchoolForm,
    /// The field of a refused form, and why.
    pub errors: FormErrors,
    /// Why this user may not apply; the form is then not shown.
    pub refusal: Option<String>,
}

impl ApplyPage {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.message(&self.ctx, field)
    }

    fn summary(&self) -> Vec<(String, String)> {
        self.errors.summary(&self.ctx)
    }
}

/// Platform operators do not list schools of their own, and a staff member already works for
/// one; everyone else needs a verified email and no application still under review.
async fn refusal(state: &AppState, user: &CurrentUser) -> Result<Option<&'static str>, AppError> {
    if matches!(user.role, Role::Admin | Role::Moderator) {
        return Ok(Some("application-refused-role"));
    }
    if !user.email_verified {
        return Ok(Some("application-refused-verify"));
    }
    let id = user.id;
    db::read(&state.pool, move |conn| {
        Ok(if model::membership(conn, id)?.is_some() {
            Some("application-refused-staff")
        } else if application_model::has_pending_application(conn, id)? {
            Some("application-refused-pending")
        } else {
            None
        })
    })
    .await
}

/// The form page with the reason this person cannot apply instead of the form.
fn refused(ctx: PageCtx, form: SchoolForm, reason: &str) -> Result<HttpResponse, AppError> {
    let page = ApplyPage { refusal: Some(ctx.t(reason)), errors: FormErrors::default(), form, ctx };
    crate::web::html(StatusCode::FORBIDDEN, &page)
}

pub async fn form(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<ApplyPage, AppError> {
    let refusal = refusal(&state, &user).await?.map(|m| ctx.t(m));
    Ok(ApplyPage { ctx, form: SchoolForm::default(), errors: FormErrors::default(), refusal })
}

/// The field a refusal of `parse` is about, so that the message stands next to it.
fn field_of(form: &SchoolForm, message: &str) -> &'static str {
    let required = [
        ("name_kk", &form.name_kk),
        ("name_ru", &form.name_ru),
        ("city", &form.city),
        ("address", &form.address),
        ("licence_number", &form.licence_number),
    ];
    match message {
        "school-error-required" => {
            required.iter().find(|(_, v)| v.trim().is_empty()).map_or("bin", |(f, _)| f)
        }
        _ => "bin",
    }
}

fn invalid(
    ctx: PageCtx, form: SchoolForm, field: &'static str, message: &'static str,
) -> Result<HttpResponse, AppError> {
    let page = ApplyPage { errors: FormErrors::one(field, message), refusal: None, form, ctx };
    crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn submit(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, form: web::Form<SchoolForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let form = form.into_inner();
    if let Some(reason) = refusal(&state, &user).await? {
        return refused(ctx, form, reason);
    }
    let school = match parse(&form) {
        Ok(school) => school,
        Err(message) => {
            let field = field_of(&form, message);
            return invalid(ctx, form, field, message);
        }
    };
    if let Some(Err(e)) = school.email.as_deref().map(Email::parse) {
        return invalid(ctx, form, "email", e.message_id());
    }
    let applicant = user.id;
    let filed = db::run(&state.pool, move |conn| {
        // Two applications sent at once (different BINs): the second sees the first.
        accounts::lock(conn, applicant)?;
        if application_model::has_pending_application(conn, applicant)? {
            return Ok(Err("application-refused-pending"));
        }
        let Some(id) = application_model::insert_application(conn, &school, applicant, now)? else {
            return Ok(Err("school-error-duplicate"));
        };
        NewAuditEvent::by(applicant, "school.applied").on("school", id).record(conn)?;
        Ok(Ok(()))
    })
    .await?;
    match filed {
        Ok(()) => {}
        Err("school-error-duplicate") => {
            return invalid(ctx, form, "bin", "school-error-duplicate");
        }
        Err(reason) => {
            return refused(ctx, form, reason);
        }
    }
    Ok(ctx.flash_to("application-sent", "/schools/apply"))
}

pub struct ApplicationLine {
    pub id: String,
    pub name: String,
    pub other_name: String,
    pub bin: String,
    pub city: String,
    pub address: String,
    pub licence: String,
    pub contacts: String,
    pub applicant: String,
    pub filed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/applications.html")]
pub struct ApplicationsPage {
    pub ctx: PageCtx,
    pub applications: Vec<ApplicationLine>,
}

pub async fn list(
    ctx: PageCtx, _admin: RequireRole<Admins>, state: web::Data<AppState>,
) -> Result<ApplicationsPage, AppError> {
    let rows =
        db::read(&state.pool, |conn| Ok(application_model::pending_applications(conn)?)).await?;
    let applications = rows
        .into_iter()
        .map(|(school, filed, last, first)| {
            // The name in the other language, beside the page's.
            let other = ctx.lang.pick(&school.name_ru, &school.name_kk);
            let applicant = match (last, first) {
                (Some(last), Some(first)) => format!("{last} {first}"),
                _ => ctx.t("application-applicant-gone"),
            };
            ApplicationLine {
                id: school.id.to_string(),
                name: school.name(ctx.lang).to_string(),
                other_name: other.to_string(),
                contacts: [school.phone.clone(), school.email.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                bin: school.bin,
                city: school.city,
                address: school.address,
                licence: school.licence_number,
                applicant,
                filed: dates::date(filed),
            }
        })
        .collect();
    Ok(ApplicationsPage { ctx, applications })
}

enum Outcome {
    /// The school as decided, and the applicant to tell (none once the account is gone).
    Decided(Box<(School, Option<UserRow>)>),
    NotPending,
    Refused(&'static str),
}

/// Approval lists the school and makes the applicant its manager, in one transaction: a
/// listed school without its manager (or the other way round) never exists.
pub async fn approve(
    ctx: PageCtx, user: RequireRole<Admins>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let school_id = id.into_inner();
    let admin = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        let Some((school, applicant)) = application_model::pending_application(conn, school_id)?
        else {
            return Ok(Outcome::NotPending);
        };
        let Some(applicant) = applicant else {
            return Ok(Outcome::Refused("application-applicant-gone-approve"));
        };
        let account = accounts::by_id(conn, applicant)?;
        let may_manage =
            matches!(account.role(), Some(Role::Student | Role::Instructor | Role::SchoolStaff));
        if !may_manage {
            return Ok(Outcome::Refused("application-applicant-role"));
        }
        // Nothing is written before this: an applicant who has meanwhile joined another
        // school leaves the application pending, untouched.
        if model::add_staff(conn, school_id, applicant, "manager")? == 0 {
            return Ok(Outcome::Refused("application-applicant-elsewhere"));
        }
        accounts::set_role(conn, applicant, Role::SchoolStaff)?;
        application_model::set_school_status(conn, school_id, SchoolStatus::Approved)?;
        NewAuditEvent::by(admin, "school.approved")
            .on("school", school_id)
            .details(json!({ "manager": applicant }))
            .record(conn)?;
        Ok(Outcome::Decided(Box::new((school, Some(account)))))
    })
    .await?;
    decided(ctx, &state, outcome, "school-approved", None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RejectForm {
    reason: String,
}

pub async fn reject(
    ctx: PageCtx, user: RequireRole<Admins>, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let school_id = id.into_inner();
    let reason = form.reason.trim().chars().take(500).collect::<String>();
    if reason.is_empty() {
        return Ok(ctx.flash_to("application-reason-required", LIST));
    }
    let admin = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        let Some((school, applicant)) = application_model::pending_application(conn, school_id)?
        else {
            return Ok(Outcome::NotPending);
        };
        application_model::set_school_status(conn, school_id, SchoolStatus::Rejected)?;
        // The reason goes to the applicant only: free text may name people.
        NewAuditEvent::by(admin, "school.rejected")
            .on("school", school_id)
            .details(json!({ "with_reason": true }))
            .record(conn)?;
        let account = match applicant {
            Some(id) => Some(accounts::by_id(conn, id)?),
            None => None,
        };
        Ok(Outcome::Decided(Box::new((school, account))))
    })
    .await?;
    decided(ctx, &state, outcome, "school-rejected", Some(reason)).await
}

/// Tells the applicant (after the commit) and the administrator how it went.
async fn decided(
    ctx: PageCtx, state: &web::Data<AppState>, outcome: Outcome, kind: &str, reason: Option<String>,
) -> Result<HttpResponse, AppError> {
    let message = match outcome {
        Outcome::Decided(decided) => {
            let (school, account) = *decided;
            if let Some(account) = account {
                notify(state, &account, &school, kind, reason).await;
            }
            format!("application-{kind}")
        }
        Outcome::NotPending => "application-not-pending".to_string(),
        Outcome::Refused(message) => message.to_string(),
    };
    Ok(ctx.flash_to(&message, LIST))
}

async fn notify(
    state: &web::Data<AppState>, account: &UserRow, school: &School, kind: &str,
    reason: Option<String>,
) {
    let Some(to) = account.email(&state.keys) else {
        return;
    };
    let lang = account.lang();
    let mut args = vec![
        ("name", FluentValue::from(account.first_name.clone())),
        ("school", FluentValue::from(school.name(lang).to_string())),
    ];
    if let Some(reason) = reason {
        args.push(("reason", FluentValue::from(reason)));
    }
    let path = if kind == "school-approved" { "/school" } else { "/schools/apply" };
    let link = signed_in::link(state, path);
    let mail = mails::compose(lang, &to, kind, &args, Some(link));
    signed_in::send(state, mail).await;
}
