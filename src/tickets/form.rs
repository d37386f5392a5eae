//! Reading what a ticket form sends: a plain form, or a multipart one when the page offers an
//! image (the file goes through the photos area's bounded reader, held in memory only).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use serde::Deserialize;
use uuid::Uuid;

use super::model::{CATEGORIES, MAX_BODY, MAX_SUBJECT};
use crate::media::upload::{self, Upload, UploadError};
use crate::web::form::{FORM, FormErrors};

/// The multipart field of the optional image.
pub const FILE_FIELD: &str = "attachment";

/// The largest image, in megabytes, as the forms' hints say.
pub const MAX_MB: i64 = (upload::MAX_BYTES / (1024 * 1024)) as i64;

/// Largest text field read (a 5000-character message is at most 20 000 bytes).
const TEXT_LIMIT: usize = 24 * 1024;

/// What a ticket form sent.
pub struct Input {
    fields: Vec<(String, String)>,
    pub image: Option<Upload>,
}

impl Input {
    pub fn get(&self, name: &str) -> String {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

/// Reads a urlencoded or multipart body. Whatever arrives is bounded: the image by
/// `MAX_BYTES`, each text field by `TEXT_LIMIT`, a plain form by 64 KB. An image takes `owner`'s
/// upload slots.
pub async fn read(
    req: &HttpRequest, mut payload: web::Payload, owner: Uuid,
) -> Result<Input, UploadError> {
    if upload::declared_too_large(req) {
        return Err(UploadError::TooLarge);
    }
    if req.content_type() == "multipart/form-data" {
        let form = Multipart::new(req.headers(), payload);
        let read = upload::read_with_optional_image(form, FILE_FIELD, TEXT_LIMIT, owner).await?;
        return Ok(Input { fields: read.fields, image: read.image });
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(upload::interrupted)?;
        if body.len() + chunk.len() > 64 * 1024 {
            return Err(UploadError::NoFile);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Input { fields: form_urlencoded::parse(&body).into_owned().collect(), image: None })
}

/// The new-ticket form as typed (kept when it is shown again).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TicketForm {
    /// A school's id, or empty / "operator" for the operator.
    pub to: String,
    pub category: String,
    pub subject: String,
    pub body: String,
}

impl TicketForm {
    pub fn from_input(input: &Input) -> TicketForm {
        TicketForm {
            to: input.get("to"),
            category: input.get("category"),
            subject: input.get("subject"),
            body: input.get("body"),
        }
    }
}

/// A message as stored: line endings made `\n`, blank edges trimmed, inner lines kept.
pub fn clean_body(body: &str) -> String {
    body.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()
}

/// Why a message cannot be stored, as a message id.
pub fn check_body(body: &str) -> Option<&'static str> {
    if body.is_empty() {
        Some("ticket-error-body")
    } else if body.chars().count() > MAX_BODY {
        Some("ticket-error-body-long")
    } else {
        None
    }
}

/// A checked new ticket: (school or None for the operator, category, subject, body), or the
/// fields in error with their message ids.
pub type Checked = (Option<Uuid>, String, String, String);

pub fn check(form: &TicketForm, schools: &[Uuid]) -> Result<Checked, FormErrors> {
    let mut errors = FormErrors::default();
    let to = match form.to.trim() {
        "" | "operator" => None,
        id => match id.parse::<Uuid>() {
            Ok(id) if schools.contains(&id) => Some(id),
            _ => {
                errors.add("to", "ticket-error-to");
                None
            }
        },
    };
    if !CATEGORIES.contains(&form.category.as_str()) {
        errors.add("category", "ticket-error-category");
    }
    let subject = form.subject.split_whitespace().collect::<Vec<_>>().join(" ");
    if subject.is_empty() {
        errors.add("subject", "ticket-error-subject");
    } else if subject.chars().count() > MAX_SUBJECT {
        errors.add("subject", "ticket-error-subject-long");
    }
    let body = clean_body(&form.body);
    if let Some(message) = check_body(&body) {
        errors.add("body", message);
    }
    if errors.is_empty() { Ok((to, form.category.clone(), subject, body)) } else { Err(errors) }
}

/// Why a ticket or a reply was not sent: the response status, the field and the message id.
pub type Refusal = (StatusCode, &'static str, &'static str);

/// The person sent too many messages lately.
pub const TOO_MANY: Refusal = (StatusCode::TOO_MANY_REQUESTS, FORM, "ticket-error-rate");

/// The attachment could not be read or is not an image.
pub fn upload_refused(e: &UploadError) -> Refusal {
    (e.status(), FILE_FIELD, upload_error(e))
}

/// The message id for an attachment that could not be read or is not an image.
pub fn upload_error(e: &UploadError) -> &'static str {
    match e {
        UploadError::TooLarge => "ticket-error-attachment-size",
        UploadError::Refused(_) | UploadError::Busy | UploadError::Queue => e.message_id(),
        UploadError::NoFile | UploadError::Interrupted => "ticket-error-form",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(to: &str, category: &str, subject: &str, body: &str) -> TicketForm {
        TicketForm {
            to: to.into(),
            category: category.into(),
            subject: subject.into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_ticket_goes_to_one_of_the_users_schools_or_the_operator() {
        let school = Uuid::new_v4();
        let ok = check(&form("", "technical", " Не  входит ", "a\r\nb\r\n"), &[]).unwrap();
        assert_eq!(ok, (None, "technical".into(), "Не входит".into(), "a\nb".into()));
        let to_school = check(&form(&school.to_string(), "training", "s", "b"), &[school]);
        assert_eq!(to_school.unwrap().0, Some(school));
        let elsewhere = check(&form(&Uuid::new_v4().to_string(), "x", "", " "), &[school]);
        let errors = elsewhere.unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["to", "category", "subject", "body"]);
    }

    #[test]
    fn long_subjects_and_messages_are_refused() {
        let long = "я".repeat(MAX_BODY + 1);
        assert_eq!(check_body(&long), Some("ticket-error-body-long"));
        assert_eq!(check_body(&"я".repeat(MAX_BODY)), None);
        let subject = "s".repeat(MAX_SUBJECT + 1);
        assert!(check(&form("", "other", &subject, "b"), &[]).is_err());
    }
}
