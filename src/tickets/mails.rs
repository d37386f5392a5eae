//! Telling the other side of a ticket that something was written: in each recipient's
//! language, with a link, the subject and the quoted text masked (a mail passes through other
//! people's servers; the portal shows the text as written).

use actix_web::web;
use diesel::PgConnection;
use diesel::prelude::QueryResult;
use fluent_templates::fluent_bundle::FluentValue;
use uuid::Uuid;

use super::model::{self, Side, Ticket};
use crate::accounts::model::UserRow;
use crate::accounts::{mails, signed_in};
use crate::domain::personal_data::mask;
use crate::state::AppState;

/// At most this many people are mailed about one message.
pub const MAX_RECIPIENTS: i64 = 20;

/// Characters of the message quoted in the mail.
const EXCERPT: usize = 500;

/// Who hears of a message by `sender`: the author hears of staff messages; staff hear of the
/// author's — the assignee if there is one (and still works that side), otherwise every staff
/// member of the side. Never the sender; never a blocked account.
pub fn recipients(
    conn: &mut PgConnection, ticket: &Ticket, sender: Uuid,
) -> QueryResult<Vec<UserRow>> {
    let mut ids: Vec<Uuid> = if sender == ticket.author_id {
        let staff: Vec<Uuid> = model::staff_of(conn, Side::of(ticket.school_id))?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        match ticket.assignee_id {
            Some(a) if staff.contains(&a) => vec![a],
            _ => staff,
        }
    } else {
        vec![ticket.author_id]
    };
    ids.retain(|id| *id != sender);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    model::recipients(conn, &ids, MAX_RECIPIENTS)
}

/// Composes the mails now and sends them in the background (the page does not wait for a
/// slow mail server). `kind` is `ticket-new` or `ticket-reply`.
pub fn notify(
    state: &web::Data<AppState>, recipients: Vec<UserRow>, kind: &'static str, ticket_id: Uuid,
    subject: &str, body: &str,
) {
    if recipients.is_empty() {
        return;
    }
    let subject = mask(subject);
    let masked = mask(body);
    let mut excerpt: String = masked.chars().take(EXCERPT).collect();
    if masked.chars().count() > EXCERPT {
        excerpt.push('…');
    }
    let link = signed_in::link(state, &format!("/tickets/{ticket_id}"));
    let outgoing: Vec<_> = recipients
        .iter()
        .filter_map(|person| {
            let to = person.email(&state.keys)?;
            let args = [
                ("name", FluentValue::from(person.first_name.clone())),
                ("subject", FluentValue::from(subject.clone())),
                ("excerpt", FluentValue::from(excerpt.clone())),
            ];
            Some(mails::compose(person.lang(), &to, kind, &args, Some(link.clone())))
        })
        .collect();
    let state = state.clone();
    actix_web::rt::spawn(async move {
        for mail in outgoing {
            signed_in::send(&state, mail).await;
        }
    });
}
