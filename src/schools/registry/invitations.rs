//! A manager invites staff by email. The single-use link (7 days) creates the account, or
//! attaches the existing one once its owner has signed in.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::model;
use super::pages::InvitationPage;
use crate::accounts::model::{self as accounts, NewAccount};
use crate::accounts::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::crypto::IndexKind;
use crate::db;
use crate::db::schema::staff_invitations as inv;
use crate::domain::{Email, Password, PersonName, Role};
use crate::error::AppError;
use crate::limits;
use crate::state::AppState;
use crate::web::auth::CurrentUser;
use crate::web::auth::{RequireRole, SchoolOffice};
use crate::web::form::{FORM, FormErrors};
use crate::web::{PageCtx, client_ip};

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn role_for(position: &str) -> Role {
    if position == "instructor" { Role::Instructor } else { Role::SchoolStaff }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    position: String,
}

pub async fn invite(
    ctx: PageCtx, user: RequireRole<SchoolOffice>, state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let manager = user.id;
    let membership =
        db::run(&state.pool, move |conn| Ok(model::membership(conn, manager)?)).await?;
    let school_id = membership.filter(|m| m.manager).ok_or(AppError::Forbidden)?.school_id;
    let InviteForm { email, position } = form.into_inner();
    let (Ok(email), true) = (
        Email::parse(&email),
        matches!(position.as_str(), "manager" | "theory_teacher" | "instructor"),
    ) else {
        return Ok(ctx.flash_to("invite-error", "/school"));
    };
    let limits = vec![
        (limits::MAILS_PER_SENDER, format!("user:{manager}")),
        (limits::MAILS_PER_RECIPIENT, format!("invite:{}", email.as_str())),
    ];
    if !signed_in::mail_allowed(&state, limits).await? {
        return Ok(ctx.flash_to("limits-mail-wait", "/school"));
    }
    let token = crate::crypto::random::token();
    let (store, token_hash, address) = (state.clone(), hash(&token), email.as_str().to_string());
    let school = db::run(&state.pool, move |conn| {
        let id = Uuid::new_v4();
        diesel::insert_into(inv::table)
            .values((
                inv::id.eq(id),
                inv::school_id.eq(school_id),
                inv::email_sealed.eq(store
                    .keys
                    .seal_str(email.as_str(), &format!("staff_invitations.email:{id}"))),
                inv::email_index.eq(store.keys.blind_index(IndexKind::Email, email.as_str())),
                inv::position.eq(&position),
                inv::token_hash.eq(token_hash),
                inv::invited_by.eq(manager),
                inv::expires_at.eq(now + Duration::days(7)),
            ))
            .execute(conn)?;
        NewAuditEvent::by(manager, "school.staff_invited")
            .on("invitation", id)
            .details(serde_json::json!({ "position": position }))
            .record(conn)?;
        Ok(model::school(conn, school_id)?)
    })
    .await?;
    let link = signed_in::link(&state, &format!("/invitations/accept?token={token}"));
    let args = [("school", FluentValue::from(school.name(ctx.lang).to_string()))];
    signed_in::send(&state, mails::compose(ctx.lang, &address, "invite", &args, Some(link))).await;
    Ok(ctx.flash_to("invite-sent", "/school"))
}

#[derive(Queryable)]
struct Invitation {
    id: Uuid,
    school_id: Uuid,
    email_sealed: Vec<u8>,
    position: String,
}

fn open_invitation(
    conn: &mut PgConnection, token: &str, now: DateTime<Utc>,
) -> QueryResult<Option<Invitation>> {
    inv::table
        .filter(inv::token_hash.eq(hash(token)))
        .filter(inv::accepted_at.is_null())
        .filter(inv::expires_at.gt(now))
        .select((inv::id, inv::school_id, inv::email_sealed, inv::position))
        .first(conn)
        .optional()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

pub async fn show(
    ctx: PageCtx, user: Option<CurrentUser>, state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token;
    let signed_in = user.is_some();
    page(ctx, &state, token, signed_in, FormErrors::default(), StatusCode::OK).await
}

fn expired(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    crate::accounts::link_expired(ctx)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    token: String,
    last_name: String,
    first_name: String,
    password: String,
    password_confirm: String,
}

enum Outcome {
    Joined { user: Uuid, first_name: String, role: Role, new_account: bool },
    Refused(&'static str),
    Expired,
}

pub async fn accept(
    req: HttpRequest, ctx: PageCtx, session: Session, user: Option<CurrentUser>,
    state: web::Data<AppState>, form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let form = form.into_inner();
    let signed_in_as = user.as_ref().map(|u| u.id);
    if signed_in_as.is_none() && form.password != form.password_confirm {
        return refuse(ctx, &state, form, "password-error-mismatch").await;
    }
    // Cheap checks before the password is hashed: this address's budget, and the invitation.
    let (store, ip, probe) = (state.clone(), client_ip(&req), form.token.clone());
    let invited = db::run(&state.pool, move |conn| {
        let address = [(limits::EXPENSIVE_PER_ADDRESS, ip.as_str())];
        if signed_in_as.is_none() && limits::take(conn, &store.keys, &address, now)?.is_err() {
            return Err(AppError::TooManyRequests);
        }
        let Some(invitation) = open_invitation(conn, &probe, now)? else {
            return Ok(None);
        };
        let place = format!("staff_invitations.email:{}", invitation.id);
        Ok(Some(store.keys.open_str(&invitation.email_sealed, &place).map_err(AppError::internal)?))
    })
    .await?;
    let Some(invited) = invited else {
        return expired(ctx);
    };
    let new_password = if signed_in_as.is_none() {
        if PersonName::parse(&form.last_name).is_err()
            || PersonName::parse(&form.first_name).is_err()
        {
            return refuse(ctx, &state, form, "name-error-empty").await;
        }
        let local = invited.split('@').next().unwrap_or_default();
        let names = [form.last_name.as_str(), form.first_name.as_str()];
        match Password::parse_for(&form.password, &[&invited, local], &names) {
            Ok(password) => Some(state.hashing.run(move || password.hash()).await?),
            Err(e) => return refuse(ctx, &state, form, e.message_id()).await,
        }
    } else {
        None
    };
    let stamp = new_password.as_deref().map(crate::web::session::credential_stamp);
    let store = state.clone();
    let f = form.clone_fields();
    let outcome = db::run(&state.pool, move |conn| {
        let Some(invitation) = open_invitation(conn, &f.token, now)? else {
            return Ok(Outcome::Expired);
        };
        let email = store
            .keys
            .open_str(
                &invitation.email_sealed,
                &format!("staff_invitations.email:{}", invitation.id),
            )
            .map_err(AppError::internal)?;
        let role = role_for(&invitation.position);
        let existing = accounts::by_login(conn, &store.keys, &email)?;
        let (user_id, first_name, new_account) = match (signed_in_as, existing) {
            (Some(me), Some(account)) if account.id == me => {
                if account.role != role.code() {
                    return Ok(Outcome::Refused("invite-error-role"));
                }
                (me, account.first_name.clone(), false)
            }
            (Some(_), _) => return Ok(Outcome::Refused("invite-error-other-account")),
            (None, Some(_)) => return Ok(Outcome::Refused("invite-error-sign-in")),
            (None, None) => {
                let Some(hash) = new_password.clone() else {
                    return Ok(Outcome::Refused("invite-error"));
                };
                let (Ok(last_name), Ok(first_name)) =
                    (PersonName::parse(&f.last_name), PersonName::parse(&f.first_name))
                else {
                    return Ok(Outcome::Refused("name-error-empty"));
                };
                let email = Email::parse(&email).map_err(AppError::internal)?;
                let first = first_name.as_str().to_string();
                let id = accounts::insert_account(
                    conn,
                    &store.keys,
                    &NewAccount { role, last_name, first_name, email },
                    &hash,
                    now,
                )?;
                (id, first, true)
            }
        };
        if model::add_staff(conn, invitation.school_id, user_id, &invitation.position)? == 0 {
            return Ok(Outcome::Refused("invite-error-elsewhere"));
        }
        diesel::update(inv::table.find(invitation.id))
            .set(inv::accepted_at.eq(now))
            .execute(conn)?;
        NewAuditEvent::by(user_id, "school.staff_joined")
            .on("school", invitation.school_id)
            .details(
                serde_json::json!({ "position": invitation.position, "new_account": new_account }),
            )
            .record(conn)?;
        Ok(Outcome::Joined { user: user_id, first_name, role, new_account })
    })
    .await?;
    match outcome {
        Outcome::Joined { user, first_name, role, new_account } => {
            if let (true, Some(stamp)) = (new_account, stamp) {
                signed_in::start(&session, &req, user, &first_name, role.code(), stamp)?;
            }
            Ok(ctx.flash_to("invite-joined", "/school"))
        }
        Outcome::Refused(message) => refuse(ctx, &state, form, message).await,
        Outcome::Expired => expired(ctx),
    }
}

impl AcceptForm {
    fn clone_fields(&self) -> AcceptForm {
        AcceptForm {
            token: self.token.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            password: String::new(),
            password_confirm: String::new(),
        }
    }
}

async fn refuse(
    ctx: PageCtx, state: &AppState, form: AcceptForm, message: &'static str,
) -> Result<HttpResponse, AppError> {
    let (signed_in, errors) = (ctx.signed_in(), FormErrors::one(FORM, message));
    page(ctx, state, form.token, signed_in, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The invitation page (school, position, and the form that fits the visitor), or "expired".
async fn page(
    ctx: PageCtx, state: &AppState, token: String, signed_in: bool, errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let probe = token.clone();
    let found = db::read(&state.pool, move |conn| {
        Ok(match open_invitation(conn, &probe, now)? {
            Some(i) => Some((model::school(conn, i.school_id)?, i.position)),
            None => None,
        })
    })
    .await?;
    let Some((school, position)) = found else {
        return expired(ctx);
    };
    let page = InvitationPage {
        school: school.name(ctx.lang).to_string(),
        position: ctx.t(&format!("position-{}", position.replace('_', "-"))),
        signed_in,
        next: form_urlencoded::byte_serialize(
            format!("/invitations/accept?token={token}").as_bytes(),
        )
        .collect(),
        token,
        errors,
        ctx,
    };
    crate::web::html(status, &page)
}
