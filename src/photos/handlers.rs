//! The photos pages: the owner's page (consent, upload, status), viewing an image, and the
//! reviewers' queue with its decisions.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, REJECT_REASONS};
use super::pages::{PhotoLine, PhotosPage, QueueLine, ReviewPage};
use super::store::{self, NewPhoto, Variant};
use crate::accounts::consents;
use crate::accounts::model::ConsentKind;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::media::upload::{self, MAX_BYTES, UploadError};
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{PhotoReviewers, RequireRole};
use crate::web::form::{FORM, FormErrors};

async fn page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, errors: FormErrors,
) -> Result<PhotosPage, AppError> {
    let id = user.id;
    let (consent, photos) = db::read(&state.pool, move |conn| {
        Ok((consents::in_force(conn, id, ConsentKind::PhotoId, false)?, model::of_owner(conn, id)?))
    })
    .await?;
    let photos = photos
        .into_iter()
        .map(|p| PhotoLine {
            id: p.id.to_string(),
            kind: ctx.t(&format!("photo-kind-{}", p.kind)),
            status: ctx.t(&format!("photo-status-{}", p.status.as_str())),
            uploaded: dates::date_time(p.created_at),
            reason: p.reject_reason.map(|r| {
                let reason = ctx.t(&format!("photo-reason-{}", r.replace('_', "-")));
                match p.reject_note {
                    Some(note) => format!("{reason} — {note}"),
                    None => reason,
                }
            }),
            status_code: p.status.as_str().to_owned(),
        })
        .collect();
    Ok(PhotosPage {
        allowed: user.may_upload_photos(),
        consent,
        photos,
        errors,
        max_mb: (MAX_BYTES / (1024 * 1024)) as i64,
        ctx,
    })
}

pub async fn index(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<PhotosPage, AppError> {
    page(ctx, &state, &user, FormErrors::default()).await
}

pub async fn give_consent(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !user.may_upload_photos() {
        return Err(AppError::Forbidden);
    }
    let evidence = json!({
        "ip": crate::web::client_ip(&req),
        "user_agent": crate::web::user_agent(&req),
        "via": "photos",
    });
    let id = user.id;
    db::run(&state.pool, move |conn| Ok(consents::give(conn, id, ConsentKind::PhotoId, evidence)?))
        .await?;
    Ok(ctx.flash_to("photo-consent-given", "/me/photos"))
}

/// Withdrawing the consent deletes every stored photo of the person, in the same transaction.
pub async fn withdraw_consent(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = user.id;
    db::run(&state.pool, move |conn| {
        Ok(consents::withdraw(conn, id, ConsentKind::PhotoId, |conn| {
            // Identification photos only: images attached to tickets are not covered by this
            // consent and stay with their messages.
            let deleted = store::delete_of_owner(conn, id, &["face", "document"])?;
            Ok((deleted, json!({ "photos_deleted": deleted })))
        })?)
    })
    .await?;
    Ok(ctx.flash_to("photo-consent-withdrawn", "/me/photos"))
}

/// Scripts ask for JSON (to show progress and stay on the page); a plain form gets HTML.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

async fn refuse(
    req: &HttpRequest, ctx: PageCtx, state: &AppState, user: &CurrentUser, status: StatusCode,
    message_id: &'static str,
) -> Result<HttpResponse, AppError> {
    if wants_json(req) {
        return Ok(HttpResponse::build(status).json(json!({ "error": ctx.t(message_id) })));
    }
    let page = page(ctx, state, user, FormErrors::one(FORM, message_id)).await?;
    crate::web::html(status, &page)
}

pub async fn upload(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, form: Multipart,
) -> Result<HttpResponse, AppError> {
    if !user.may_upload_photos() {
        return Err(AppError::Forbidden);
    }
    if upload::declared_too_large(&req) {
        return refuse(&req, ctx, &state, &user, StatusCode::PAYLOAD_TOO_LARGE, "photo-error-size")
            .await;
    }
    let id = user.id;
    let consent = db::run(&state.pool, move |conn| {
        Ok(consents::in_force(conn, id, ConsentKind::PhotoId, false)?)
    })
    .await?;
    if !consent {
        return refuse(&req, ctx, &state, &user, StatusCode::FORBIDDEN, "photo-error-consent")
            .await;
    }
    let processed = match upload::read(form, id).await {
        Ok(u) if matches!(u.kind.as_str(), "face" | "document") => {
            let kind = u.kind.clone();
            upload::process(u).await.map(|p| (kind, p))
        }
        Ok(_) => Err(UploadError::NoFile),
        Err(e) => Err(e),
    };
    let (kind, image) = match processed {
        Ok(done) => done,
        Err(e) => {
            let status = e.status();
            return refuse(&req, ctx, &state, &user, status, e.message_id()).await;
        }
    };
    let keys_state = state.clone();
    let stored = db::run(&state.pool, move |conn| {
        // Locked: a withdrawal at the same moment waits, then deletes this photo too.
        if !consents::in_force(conn, id, ConsentKind::PhotoId, true)? {
            return Ok(None);
        }
        if !model::make_room(conn, id, &kind)? {
            return Ok(Some(None));
        }
        let photo = store::insert(
            conn,
            &keys_state.keys,
            &NewPhoto {
                owner_id: id,
                kind: &kind,
                width: image.width as i32,
                height: image.height as i32,
                full: &image.full,
                thumb: &image.thumb,
            },
        )?;
        NewAuditEvent::by(id, "photo.uploaded")
            .on("photo", photo)
            .details(json!({ "kind": kind }))
            .record(conn)?;
        Ok(Some(Some(photo)))
    })
    .await?;
    match stored {
        None => {
            refuse(&req, ctx, &state, &user, StatusCode::FORBIDDEN, "photo-error-consent").await
        }
        Some(None) => {
            refuse(
                &req,
                ctx,
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                "photo-error-too-many",
            )
            .await
        }
        Some(Some(_)) => {
            ctx.flash(ctx.t("photo-uploaded"));
            if wants_json(&req) {
                Ok(HttpResponse::Ok().json(json!({ "location": "/me/photos" })))
            } else {
                Ok(crate::web::see_other("/me/photos"))
            }
        }
    }
}

/// The image, decrypted on the fly for the people allowed to see it; never cached. A view of
/// someone else's photo is written to the audit trail.
pub async fn view(
    user: CurrentUser, state: web::Data<AppState>, path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, variant) = path.into_inner();
    let variant = Variant::parse(&variant).ok_or(AppError::NotFound)?;
    let (viewer, role) = (user.id, user.role);
    let state2 = state.clone();
    let image = db::run(&state.pool, move |conn| {
        let Some(photo) = model::photo(conn, id)? else {
            return Ok(None);
        };
        if !model::may_view(conn, viewer, role, photo.owner_id)? {
            return Ok(None);
        }
        let bytes = store::read(conn, &state2.keys, id, variant)
            .map_err(|e| AppError::Internal(format!("photo {id} does not open: {e}")))?;
        if bytes.is_some() && viewer != photo.owner_id {
            NewAuditEvent::by(viewer, "photo.viewed")
                .on("photo", id)
                .details(json!({ "variant": variant.code() }))
                .record(conn)?;
        }
        Ok(bytes)
    })
    .await?;
    // Someone else's photo is "not found", whether or not it exists.
    let image = image.ok_or(AppError::NotFound)?;
    Ok(private_image(image))
}

/// A decrypted image as a response no cache keeps (identification photos, ticket images).
pub fn private_image(jpeg: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(CacheControl(vec![CacheDirective::NoStore, CacheDirective::Private]))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .body(jpeg)
}

pub async fn review(
    ctx: PageCtx, user: RequireRole<PhotoReviewers>, state: web::Data<AppState>,
) -> Result<ReviewPage, AppError> {
    let (id, role) = (user.id, user.role);
    let rows = db::read(&state.pool, move |conn| Ok(model::queue(conn, id, role, 50)?)).await?;
    let keys = &state.keys;
    let queue = rows
        .into_iter()
        .filter(|(photo, _)| photo.owner_id != id)
        .map(|(photo, owner)| QueueLine {
            id: photo.id.to_string(),
            kind: ctx.t(&format!("photo-kind-{}", photo.kind)),
            name: owner.full_name(),
            birth_date: owner.birth_date(keys).map(dates::day).unwrap_or_else(|| "—".into()),
            document: match (&owner.doc_type, owner.doc_number(keys)) {
                (Some(t), Some(n)) => {
                    format!("{} {n}", ctx.t(&format!("doc-{}", t.replace('_', "-"))))
                }
                _ => "—".into(),
            },
            uploaded: dates::date_time(photo.created_at),
        })
        .collect();
    let reasons = REJECT_REASONS
        .iter()
        .map(|r| (*r, ctx.t(&format!("photo-reason-{}", r.replace('_', "-")))))
        .collect();
    Ok(ReviewPage { ctx, queue, reasons })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Decision {
    reason: String,
    note: String,
}

pub async fn approve(
    ctx: PageCtx, user: RequireRole<PhotoReviewers>, state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    decide(ctx, user, state, id, None).await
}

pub async fn reject(
    ctx: PageCtx, user: RequireRole<PhotoReviewers>, state: web::Data<AppState>,
    id: web::Path<Uuid>, form: web::Form<Decision>,
) -> Result<HttpResponse, AppError> {
    decide(ctx, user, state, id, Some(form.into_inner())).await
}

async fn decide(
    ctx: PageCtx, user: RequireRole<PhotoReviewers>, state: web::Data<AppState>,
    id: web::Path<Uuid>, rejection: Option<Decision>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = id.into_inner();
    let rejection = match rejection {
        None => None,
        Some(d) => {
            let reason = REJECT_REASONS.iter().find(|r| **r == d.reason);
            let note: String = d.note.split_whitespace().collect::<Vec<_>>().join(" ");
            match reason {
                Some(reason) if note.chars().count() <= 500 => Some((*reason, note)),
                _ => {
                    return Ok(ctx.flash_to("photo-error-reason", "/photos/review"));
                }
            }
        }
    };
    let (reviewer, role) = (user.id, user.role);
    let verdict = rejection.clone();
    let owner = db::run(&state.pool, move |conn| {
        let Some(photo) = model::photo(conn, id)? else {
            return Err(AppError::NotFound);
        };
        // Nobody verifies their own photo; others only within their reach.
        if photo.owner_id == reviewer || !model::may_view(conn, reviewer, role, photo.owner_id)? {
            return Err(AppError::NotFound);
        }
        let verdict_ref = verdict.as_ref().map(|(r, n)| (*r, n.as_str()));
        let done = model::decide(conn, id, reviewer, verdict_ref.map_or(Ok(()), Err), now)?;
        if !done {
            return Ok(None);
        }
        let action = if verdict.is_some() { "photo.rejected" } else { "photo.verified" };
        NewAuditEvent::by(reviewer, action)
            .on("photo", id)
            .details(json!({ "reason": verdict.as_ref().map(|(r, _)| *r) }))
            .record(conn)?;
        Ok(Some(crate::accounts::model::by_id(conn, photo.owner_id)?))
    })
    .await?;
    let Some(owner) = owner else {
        return Ok(ctx.flash_to("photo-already-decided", "/photos/review"));
    };
    super::mails::decision(&state, &owner, rejection).await;
    Ok(ctx.flash_to("photo-decided", "/photos/review"))
}
