//! Reading an upload: the multipart form streamed with a hard size limit, held in memory only
//! (no plaintext image ever touches disk), and processed on a bounded number of threads within
//! a memory budget.
//!
//! Slots are taken only once a file's first bytes arrive, so a form without a file never waits
//! for one; a person holds at most [`PER_PERSON`] at once, so one account cannot fill them.
//! A client that sends too slowly is cut off by `web::body_deadline`, which frees its slots.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::http::{StatusCode, header};
use futures_util::StreamExt;
use tokio::sync::{Semaphore, SemaphorePermit};
use uuid::Uuid;

use super::pipeline::{self, Processed, Refused};

/// The largest file accepted.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// Uploads whose bodies are held in memory at once (at most 8 × 15 MB); more wait their turn
/// (up to [`SLOT_WAIT`]) while other pages are served as usual.
static HELD: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(8));

/// Files one person may be sending (or have in processing) at once.
pub const PER_PERSON: usize = 2;

/// How long a file waits for one of the [`HELD`] slots before the person is asked to retry.
const SLOT_WAIT: Duration = Duration::from_secs(5);

/// Uploads in flight per person (only people with at least one).
static SENDING: LazyLock<Mutex<HashMap<Uuid, usize>>> = LazyLock::new(Mutex::default);

/// Images decoded at once (CPU: the machine has few cores).
static PROCESSING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// Decoding memory for all uploads together, in MiB: each decode takes its cost (read from the
/// image's header, at most `pipeline::MAX_DECODE_BYTES`) before it starts, so a burst of
/// worst-case images waits here instead of adding up.
pub const DECODE_CEILING_MIB: u32 = 256;
const _: () = assert!(pipeline::MAX_DECODE_BYTES <= DECODE_CEILING_MIB as u64 * 1024 * 1024);
static DECODING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(DECODE_CEILING_MIB as usize));

#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    /// Over `MAX_BYTES` (413).
    TooLarge,
    /// No file, or not the form the page sends.
    NoFile,
    /// The connection broke while reading.
    Interrupted,
    /// The person is already sending [`PER_PERSON`] files (429).
    Busy,
    /// Every upload slot stayed taken for [`SLOT_WAIT`] (503).
    Queue,
    Refused(Refused),
}

impl UploadError {
    /// 413 for a file over the limit, 422 for anything else wrong with it.
    pub fn status(&self) -> StatusCode {
        match self {
            UploadError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UploadError::Busy => StatusCode::TOO_MANY_REQUESTS,
            UploadError::Queue => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    pub fn message_id(&self) -> &'static str {
        match self {
            UploadError::TooLarge => "photo-error-size",
            UploadError::NoFile => "photo-error-missing",
            UploadError::Interrupted => "photo-error-interrupted",
            UploadError::Busy => "upload-error-busy",
            UploadError::Queue => "upload-error-queue",
            UploadError::Refused(r) => r.message_id(),
        }
    }
}

pub struct Upload {
    pub kind: String,
    pub bytes: Vec<u8>,
    /// Held until the upload is processed and dropped.
    _slots: Slots,
}

/// An upload slot and one of its sender's: taken when a file's first bytes arrive, given back
/// when the upload is dropped (processed, refused, or its connection cut).
struct Slots {
    _held: SemaphorePermit<'static>,
    _person: PersonSlot,
}

impl Slots {
    async fn take(owner: Uuid) -> Result<Slots, UploadError> {
        let person = PersonSlot::take(owner).ok_or(UploadError::Busy)?;
        let held = actix_web::rt::time::timeout(SLOT_WAIT, HELD.acquire())
            .await
            .map_err(|_| UploadError::Queue)?
            // Fails only for a closed semaphore, and these are never closed.
            .map_err(|_| UploadError::Interrupted)?;
        Ok(Slots { _held: held, _person: person })
    }
}

struct PersonSlot(Uuid);

impl PersonSlot {
    fn take(owner: Uuid) -> Option<PersonSlot> {
        let mut sending = SENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = sending.entry(owner).or_default();
        if *count >= PER_PERSON {
            return None;
        }
        *count += 1;
        Some(PersonSlot(owner))
    }
}

impl Drop for PersonSlot {
    fn drop(&mut self) {
        let mut sending = SENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = sending.get_mut(&self.0) {
            *count -= 1;
            if *count == 0 {
                sending.remove(&self.0);
            }
        }
    }
}

/// Reads the `kind` and `photo` fields of `owner`'s form, stopping as soon as the file passes
/// `MAX_BYTES`.
pub async fn read(form: Multipart, owner: Uuid) -> Result<Upload, UploadError> {
    let read = read_with_optional_image(form, "photo", 64, owner).await?;
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
/// The file takes `owner`'s upload slots when its first bytes arrive.
pub async fn read_with_optional_image(
    mut form: Multipart, file_field: &str, text_limit: usize, owner: Uuid,
) -> Result<FormUpload, UploadError> {
    let (mut fields, mut bytes, mut slots) = (Vec::new(), None::<Vec<u8>>, None);
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
            if is_file && slots.is_none() && !chunk.is_empty() {
                slots = Some(Slots::take(owner).await?);
            }
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
        image: bytes.zip(slots).map(|(bytes, slots)| Upload {
            kind: file_field.to_string(),
            bytes,
            _slots: slots,
        }),
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

/// Runs the pipeline off the async threads, at most `PROCESSING` at once and within the shared
/// decoding budget: the image's cost is read from its header and reserved before decoding.
pub async fn process(upload: Upload) -> Result<Processed, UploadError> {
    let Upload { bytes, _slots, .. } = upload;
    let (cost, bytes) = off_thread(move || (pipeline::decode_cost(&bytes), bytes)).await?;
    let mib = cost.map_err(UploadError::Refused)?.div_ceil(1024 * 1024);
    let mib = u32::try_from(mib).unwrap_or(u32::MAX).min(DECODE_CEILING_MIB);
    // Fail only for a closed semaphore, and these are never closed.
    let _memory = DECODING.acquire_many(mib).await.map_err(|_| UploadError::Interrupted)?;
    let _cpu = PROCESSING.acquire().await.map_err(|_| UploadError::Interrupted)?;
    let processed = off_thread(move || pipeline::process(&bytes)).await?;
    processed.map_err(UploadError::Refused)
}

async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, UploadError> {
    actix_web::web::block(work).await.map_err(|e| {
        // The pipeline panicked (its location is logged by the panic hook).
        tracing::error!(error = %e, "the photo pipeline did not finish");
        UploadError::Interrupted
    })
}
