//! Reading an upload: the multipart form streamed with a hard size limit, held in memory only
//! (no plaintext image ever touches disk), and processed on a bounded number of threads.

use std::sync::LazyLock;

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::http::{StatusCode, header};
use futures_util::StreamExt;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::pipeline::{self, Processed, Refused};

/// The largest file accepted.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// Uploads whose bodies are held in memory at once (at most 8 × 15 MB); more wait their turn
/// while other pages are served as usual.
static HELD: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(8));

/// Images decoded at once: each may take up to ~100 MB for a short while.
static PROCESSING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    /// Over `MAX_BYTES` (413).
    TooLarge,
    /// No file, or not the form the page sends.
    NoFile,
    /// The connection broke while reading.
    Interrupted,
    Refused(Refused),
}

impl UploadError {
    /// 413 for a file over the limit, 422 for anything else wrong with it.
    pub fn status(&self) -> StatusCode {
        match self {
            UploadError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    pub fn message_id(&self) -> &'static str {
        match self {
            UploadError::TooLarge => "photo-error-size",
            UploadError::NoFile => "photo-error-missing",
            UploadError::Interrupted => "photo-error-interrupted",
            UploadError::Refused(r) => r.message_id(),
        }
    }
}

pub struct Upload {
    pub kind: String,
    pub bytes: Vec<u8>,
    /// Held until the upload is processed and dropped.
    _held: SemaphorePermit<'static>,
}

/// Reads the `kind` and `photo` fields, stopping as soon as the file passes `MAX_BYTES`.
pub async fn read(form: Multipart) -> Result<Upload, UploadError> {
    let read = read_with_optional_image(form, "photo", 64).await?;
    let mut upload = read.image.ok_or(UploadError::NoFile)?;
    upload.kind = read
        .fields
        .iter()
        .find(|(name, _)| name == "kind")
        .map(|(_, kind)| kind.trim().to_string())
        .unwrap_or_default();
    Ok(upload)
}

/// Text fields beside an optional image: a form that may carry an attachment.
pub struct FormUpload {
    pub fields: Vec<(String, String)>,
    pub image: Option<Upload>,
}

/// Reads a multipart form whose `file_field` may hold an image (up to `MAX_BYTES`; an empty
/// file input means none) and whose other fields are text of at most `text_limit` bytes each,
/// at most 16 of them. A text field over its limit is not the form the page sends (`NoFile`).
pub async fn read_with_optional_image(
    mut form: Multipart, file_field: &str, text_limit: usize,
) -> Result<FormUpload, UploadError> {
    // Fails only for a closed semaphore, and these are never closed.
    let held = HELD.acquire().await.map_err(|_| UploadError::Interrupted)?;
    let (mut fields, mut bytes) = (Vec::new(), None::<Vec<u8>>);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(interrupted)?;
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == file_field;
        if !is_file && fields.len() >= 16 {
            return Err(UploadError::NoFile);
        }
        let limit = if is_file { MAX_BYTES } else { text_limit };
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(interrupted)?;
            if data.len() + chunk.len() > limit {
                return Err(if is_file { UploadError::TooLarge } else { UploadError::NoFile });
            }
            data.extend_from_slice(&chunk);
        }
        if is_file {
            if !data.is_empty() {
                bytes = Some(data);
            }
        } else {
            let text = String::from_utf8_lossy(&data).into_owned();
            // The same refusal as for every urlencoded form (control characters and the like).
            if !crate::domain::text::acceptable(&text) {
                return Err(UploadError::NoFile);
            }
            fields.push((name, text));
        }
    }
    Ok(FormUpload {
        fields,
        image: bytes.map(|bytes| Upload { kind: file_field.to_string(), bytes, _held: held }),
    })
}

/// The client's side of the upload broke (a dropped connection, a malformed body): the page
/// says so; the log keeps the reason, at the level of other refused requests.
pub fn interrupted(e: impl std::fmt::Display) -> UploadError {
    tracing::debug!(error = %e, "upload interrupted");
    UploadError::Interrupted
}

/// Whether the request declares a body over the limit (with room for the form's other fields):
/// then it is refused before a byte of the body is read.
pub fn declared_too_large(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BYTES + 64 * 1024)
}

/// Runs the pipeline off the async threads, at most `PROCESSING` at once.
pub async fn process(upload: Upload) -> Result<Processed, UploadError> {
    // Fails only for a closed semaphore, and this one is never closed.
    let _permit = PROCESSING.acquire().await.map_err(|_| UploadError::Interrupted)?;
    let Upload { bytes, _held, .. } = upload;
    actix_web::web::block(move || pipeline::process(&bytes))
        .await
        .map_err(|e| {
            // The pipeline panicked (its location is logged by the panic hook).
            tracing::error!(error = %e, "the photo pipeline did not finish");
            UploadError::Interrupted
        })?
        .map_err(UploadError::Refused)
}
