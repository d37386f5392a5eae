//! Deadlines on reading a request body: a total time, and a minimum average rate once a grace
//! period is over (`config::BodyDeadline`).
//!
//! Every request's payload is wrapped before any handler or the CSRF check reads it. A client
//! that trickles its body (one byte a second holds a connection, an upload slot and a buffer
//! for as long as it likes) gets an error from its payload as soon as it falls behind; the
//! handler gives up and drops what it held, and the answer becomes a localised 408 whatever the
//! handler made of the broken body. The connection is not reused: the rest of the body is
//! never read.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::rt::time::{Instant, Sleep, sleep_until};
use actix_web::web::{Bytes, Data};
use actix_web::{HttpMessage, HttpResponse};
use futures_util::Stream;

use crate::config::BodyDeadline;
use crate::state::AppState;

pub async fn middleware(
    mut req: ServiceRequest, next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(limits) = req.app_data::<Data<AppState>>().map(|s| s.config.body_deadline) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let expired = Rc::new(Cell::new(false));
    let payload = req.take_payload();
    let timed = Timed::new(payload, limits, expired.clone());
    req.set_payload(Payload::Stream { payload: Box::pin(timed) });
    let res = next.call(req).await;
    if !expired.get() {
        return res.map(ServiceResponse::map_into_boxed_body);
    }
    // The body came too slowly: whatever the handler answered (an "interrupted upload" page,
    // a 400 from an extractor), the client is told that its request took too long.
    tracing::info!("a request body came too slowly; answered 408");
    let error = actix_web::error::ErrorRequestTimeout("the request body came too slowly");
    match res {
        Ok(res) => {
            let (http_req, _) = res.into_parts();
            let mut answer = HttpResponse::from_error(error);
            answer.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
            Ok(ServiceResponse::new(http_req, answer))
        }
        Err(_) => Err(error),
    }
}

/// The payload, failing once the client is overdue. Only time spent waiting for the client
/// counts: a handler that reads the body late (after a database query, or while waiting for an
/// upload slot) does not make a fast client look slow.
struct Timed {
    inner: Payload,
    limits: BodyDeadline,
    received: u64,
    /// Time spent waiting for the next chunk, before the current wait.
    waited: Duration,
    /// When the current wait for a chunk began.
    waiting_since: Option<Instant>,
    timer: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Timed {
    fn new(inner: Payload, limits: BodyDeadline, expired: Rc<Cell<bool>>) -> Timed {
        Timed {
            inner,
            limits,
            received: 0,
            waited: Duration::ZERO,
            waiting_since: None,
            timer: Box::pin(sleep_until(Instant::now() + limits.total)),
            expired,
        }
    }

    /// How long the client may have kept us waiting with what it has sent: the total time, or
    /// less while its average rate is below the minimum (counted after the grace).
    fn allowance(&self) -> Duration {
        let earned =
            Duration::from_secs_f64(self.received as f64 / f64::from(self.limits.min_rate.max(1)));
        self.limits.total.min(self.limits.grace + earned)
    }

    fn expire(&mut self) -> Poll<Option<Result<Bytes, PayloadError>>> {
        self.expired.set(true);
        let timed_out = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body too slow");
        Poll::Ready(Some(Err(PayloadError::Io(timed_out))))
    }
}

impl Stream for Timed {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.expired.get() {
            return Poll::Ready(None);
        }
        let polled = Pin::new(&mut this.inner).poll_next(cx);
        let now = Instant::now();
        if polled.is_ready() {
            this.waited += now - this.waiting_since.take().unwrap_or(now);
        }
        match polled {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                if this.waited > this.allowance() {
                    return this.expire();
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let since = *this.waiting_since.get_or_insert(now);
                let Some(left) = this.allowance().checked_sub(this.waited) else {
                    return this.expire();
                };
                let due = since + left;
                if this.timer.deadline() != due {
                    this.timer.as_mut().reset(due);
                }
                match this.timer.as_mut().poll(cx) {
                    Poll::Ready(()) => this.expire(),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}
