//! Administrators add schools (a validated BIN) and attach existing accounts as their staff.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{self, NewSchool};
use super::pages::NewSchoolPage;
use crate::accounts::model as accounts;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::{Bin, Role};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::{Admins, RequireRole};
use crate::web::form::{FORM, FormErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SchoolForm {
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub city: String,
    pub address: String,
    pub licence_number: String,
    pub phone: String,
    pub email: String,
}

pub async fn new_school(
    ctx: PageCtx, _admin: RequireRole<Admins>,
) -> Result<NewSchoolPage, AppError> {
    Ok(NewSchoolPage { ctx, form: SchoolForm::default(), errors: FormErrors::default() })
}

pub fn parse(form: &SchoolForm) -> Result<NewSchool, &'static str> {
    let bin = Bin::parse(&form.bin).map_err(|e| e.message_id())?;
    let text = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let required = [&form.name_kk, &form.name_ru, &form.city, &form.address, &form.licence_number];
    if required.iter().any(|v| v.trim().is_empty()) {
        return Err("school-error-required");
    }
    let optional = |s: &str| Some(text(s)).filter(|t| !t.is_empty());
    Ok(NewSchool {
        bin: bin.as_str().to_string(),
        name_kk: text(&form.name_kk),
        name_ru: text(&form.name_ru),
        city: text(&form.city),
        address: text(&form.address),
        licence_number: text(&form.licence_number),
        phone: optional(&form.phone),
        email: optional(&form.email),
    })
}

pub async fn create_school(
    ctx: PageCtx, user: RequireRole<Admins>, state: web::Data<AppState>,
    form: web::Form<SchoolForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let school = match parse(&form) {
        Ok(school) => school,
        Err(message) => {
            let page = NewSchoolPage { errors: FormErrors::one(FORM, message), form, ctx };
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let admin = user.id;
    let created = db::run(&state.pool, move |conn| {
        // A duplicate BIN is `None`, and the transaction `db::run` holds goes on.
        let id = db::unless_taken(conn, |conn| model::insert_school(conn, &school))?;
        if let Some(id) = id {
            NewAuditEvent::by(admin, "school.created").on("school", id).record(conn)?;
        }
        Ok(id)
    })
    .await?;
    match created {
        Some(id) => Ok(crate::web::see_other(format!("/schools/{id}"))),
        None => {
            let page = NewSchoolPage {
                errors: FormErrors::one(FORM, "school-error-duplicate"),
                form,
                ctx,
            };
            crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StaffForm {
    email: String,
    position: String,
}

/// Attaches an existing account; its role must fit the position.
pub async fn add_staff(
    ctx: PageCtx, user: RequireRole<Admins>, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<StaffForm>,
) -> Result<HttpResponse, AppError> {
    let school_id = id.into_inner();
    let StaffForm { email, position } = form.into_inner();
    let (store, admin) = (state.clone(), user.id);
    let added = db::run(&state.pool, move |conn| {
        model::school(conn, school_id)?;
        let Some(account) = accounts::by_login(conn, &store.keys, &email)? else {
            return Ok(false);
        };
        let fits = match position.as_str() {
            "manager" | "theory_teacher" => account.role == Role::SchoolStaff.code(),
            "instructor" => account.role == Role::Instructor.code(),
            _ => false,
        };
        if !fits || model::add_staff(conn, school_id, account.id, &position)? == 0 {
            return Ok(false);
        }
        NewAuditEvent::by(admin, "school.staff_added")
            .on("school", school_id)
            .details(serde_json::json!({ "user": account.id, "position": position }))
            .record(conn)?;
        Ok(true)
    })
    .await?;
    let message = if added { "school-staff-added" } else { "school-staff-not-added" };
    Ok(ctx.flash_to(message, format!("/schools/{school_id}")))
}
