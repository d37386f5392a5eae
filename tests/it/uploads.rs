//! Hostile uploads: a client that trickles its body, and images that cost far more memory than
//! their size. Each is refused cheaply while everyone else is served.

use std::time::Duration;

use avtomektep::config::BodyDeadline;
use avtomektep::db::schema::{photos, tickets};
use avtomektep::media::pipeline::{blank_png, sample_jpeg};
use diesel::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::schools::student_with;
use crate::support::{Page, TestApp, Visitor};

const BOUNDARY: &str = "----avtomektep-upload-boundary";

/// A photo form's body: the `kind` field, then the file.
fn multipart(file: &[u8]) -> (String, Vec<u8>) {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nface\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The upload form's action (it carries the CSRF token).
async fn upload_action(visitor: &Visitor<'_>) -> String {
    let page = visitor.get("/me/photos?lang=ru").await;
    page.attrs("form.photo-form", "action").pop().expect("the upload form")
}

async fn upload(visitor: &Visitor<'_>, file: &[u8]) -> Page {
    let action = upload_action(visitor).await;
    let (content_type, body) = multipart(file);
    visitor.post_body(&action, &content_type, &[], body).await
}

fn photos_of_everyone(app: &TestApp) -> i64 {
    photos::table.count().get_result(&mut app.db.conn()).unwrap()
}

/// A client on a raw socket that sends the headers and the start of a photo upload, then one
/// byte a second. Returns what the server answered (empty when it just closed).
async fn trickle_upload(app: &TestApp, visitor: &Visitor<'_>) -> JoinHandle<String> {
    let action = upload_action(visitor).await;
    let file = sample_jpeg(640, 480, None);
    let (content_type, body) = multipart(&file);
    // The `kind` field and the file's first bytes come at once with the headers.
    let start = body.windows(3).position(|w| w == &file[..3]).unwrap() + 3;
    trickle(app, visitor, &action, &content_type, body, start).await
}

/// Sends the request's headers and `body[..start]`, then the rest one byte a second.
async fn trickle(
    app: &TestApp, visitor: &Visitor<'_>, action: &str, content_type: &str, body: Vec<u8>,
    start: usize,
) -> JoinHandle<String> {
    let mut head = format!(
        "POST {action} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n",
        host = app.address.trim_start_matches("http://"),
        cookie = visitor.cookie_header(),
        length = body.len(),
    )
    .into_bytes();
    head.extend_from_slice(&body[..start]);
    let mut stream = TcpStream::connect(app.address.trim_start_matches("http://")).await.unwrap();
    stream.write_all(&head).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let rest = body[start..].to_vec();
    actix_web::rt::spawn(async move {
        for byte in rest {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
        }
    });
    actix_web::rt::spawn(async move {
        let mut answer = Vec::new();
        // A reset after the answer (the server closes while bytes are still coming) ends it too.
        let _ = reader.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    })
}

#[actix_web::test]
async fn a_trickled_upload_is_cut_off_and_starves_no_one() {
    let app = TestApp::spawn_with(
        |config| {
            config.body_deadline = BodyDeadline {
                total: Duration::from_secs(6),
                min_rate: 64,
                grace: Duration::from_secs(2),
            }
        },
        |_| {},
    )
    .await;
    let slow = student_with(&app, 1, true, true).await;
    let honest = student_with(&app, 2, true, true).await;

    // Two slow uploads: as many as one person may send at once.
    let first = trickle_upload(&app, &slow).await;
    let second = trickle_upload(&app, &slow).await;
    // And a slow plain form (a ticket): every request body has the same deadline.
    let form = honest.get("/tickets/new").await;
    let fields =
        [("csrf_token", form.csrf_token()), ("to", "operator".into()), ("body", "x".into())];
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let form_type = "application/x-www-form-urlencoded";
    let slow_form = trickle(&app, &honest, "/tickets/new", form_type, body.into_bytes(), 10).await;

    // Meanwhile another person uploads, and opens a ticket without an attachment.
    let sent = upload(&honest, &sample_jpeg(800, 600, None)).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let ticket = honest
        .submit(
            "/tickets/new?lang=ru",
            "/tickets/new",
            &[("to", "operator"), ("category", "other"), ("subject", "Сабақ"), ("body", "Сәлем")],
        )
        .await;
    assert_eq!(ticket.status, 303, "{}", ticket.body);

    // A third upload by the slow person is refused at once, in their language.
    let third = upload(&slow, &sample_jpeg(800, 600, None)).await;
    assert_eq!(third.status, 429);
    assert!(third.body.contains("уже отправляются два файла"), "{}", third.body);

    // The trickled ones are cut off with a localised 408 (or the connection closed).
    for slow_upload in [first, second, slow_form] {
        let answer = tokio::time::timeout(Duration::from_secs(30), slow_upload)
            .await
            .expect("the server cuts a trickled body off")
            .unwrap();
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{}",
            answer.lines().next().unwrap_or_default()
        );
        if !answer.is_empty() {
            assert!(answer.contains("Данные передавались слишком долго"));
        }
    }

    // Everything they held is given back: the same person uploads again at once.
    let again = upload(&slow, &sample_jpeg(800, 600, None)).await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(photos_of_everyone(&app), 2);
    assert_eq!(tickets::table.count().get_result::<i64>(&mut app.db.conn()).unwrap(), 1);
}

#[actix_web::test]
async fn images_that_would_take_too_much_memory_are_refused_with_a_message() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, true).await;

    // 7000×7000 16-bit RGB: about 2 MB sent, 294 MB decoded.
    let deep = blank_png(7000, 7000, 2, 16);
    assert!(deep.len() < 3 << 20);
    let refused = upload(&aliya, &deep).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("16 битами на канал"), "{}", refused.body);

    // A decompression bomb: 121 megapixels of zeros in about 3 MB.
    let bomb = blank_png(11_000, 11_000, 2, 8);
    let refused = upload(&aliya, &bomb).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("больше 50 мегапикселей"), "{}", refused.body);
    assert_eq!(photos_of_everyone(&app), 0);

    // In Kazakh too.
    let action = format!("{}&lang=kk", upload_action(&aliya).await);
    let (content_type, body) = multipart(&deep);
    let refused = aliya.post_body(&action, &content_type, &[], body).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("16 биттік"), "{}", refused.body);

    // A 16-bit image that fits the budget is converted and kept.
    let sent = upload(&aliya, &blank_png(1200, 900, 2, 16)).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(photos_of_everyone(&app), 1);
}
