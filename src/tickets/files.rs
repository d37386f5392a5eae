//! An image attached to a ticket, decrypted on the fly for the ticket's people only and never
//! cached. Its message must be shown to the viewer: nobody opens the image of a message a
//! moderator deleted, and only moderators that of a hidden one.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::model::{self, MessageModeration};
use super::thread::visible_in;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::photos::store::{self, Variant};
use crate::state::AppState;
use crate::web::auth::CurrentUser;

pub async fn attachment(
    user: CurrentUser, state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, photo, variant) = path.into_inner();
    let variant = Variant::parse(&variant).ok_or(AppError::NotFound)?;
    let (user_id, role) = (user.id, user.role);
    let state2 = state.clone();
    let image = db::run(&state.pool, move |conn| {
        let (viewer, _) = visible_in(conn, user_id, role, id)?;
        let Some((moderation, author)) = model::attachment_message(conn, id, photo)? else {
            return Ok(None);
        };
        let shown = match moderation {
            MessageModeration::Visible => true,
            MessageModeration::Hidden => viewer.operator(),
            MessageModeration::Deleted => false,
        };
        if !shown {
            return Ok(None);
        }
        let bytes = store::read(conn, &state2.keys, photo, variant)?;
        // Someone else's image opened in full is written down, as for identification photos.
        if bytes.is_some() && variant == Variant::Full && author != Some(user_id) {
            NewAuditEvent::by(user_id, "ticket.attachment_viewed")
                .on("photo", photo)
                .details(json!({ "ticket": id }))
                .record(conn)?;
        }
        Ok(bytes)
    })
    .await?;
    let image = image.ok_or(AppError::NotFound)?;
    Ok(crate::photos::private_image(image))
}
