//! Identification photos over HTTP: consent, upload limits and formats, encryption at rest,
//! who may see a photo, and the reviewers' decision.

use avtomektep::db::schema::{audit_events, photo_objects, photos};
use avtomektep::media::pipeline::sample_jpeg;
use diesel::prelude::*;

use crate::schools::{apply, group, manager_of, school, signed_in, student_with, zhol};
use crate::support::{Page, TestApp, Visitor};

const BOUNDARY: &str = "----avtomektep-test-boundary";

pub fn multipart(kind: &str, file: &[u8]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Sends the upload form the page shows (its action carries the CSRF token).
async fn upload(visitor: &Visitor<'_>, kind: &str, file: &[u8]) -> Page {
    let page = visitor.get("/me/photos?lang=ru").await;
    let action = page.attrs("form.photo-form", "action").pop().expect("the upload form");
    let (content_type, body) = multipart(kind, file);
    visitor.post_body(&action, &content_type, &[], body).await
}

async fn give_consent(visitor: &Visitor<'_>) {
    let given = visitor.submit("/me/photos", "/me/photos/consent", &[]).await;
    assert_eq!(given.status, 303);
}

fn stored(app: &TestApp) -> (i64, i64) {
    let mut conn = app.db.conn();
    (
        photos::table.count().get_result(&mut conn).unwrap(),
        photo_objects::table.count().get_result(&mut conn).unwrap(),
    )
}

#[actix_web::test]
async fn without_consent_nothing_is_uploaded_and_the_page_says_what_is_restricted() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, false).await;
    let page = aliya.get("/me/photos?lang=ru").await;
    assert_eq!(page.status, 200);
    assert!(page.attrs("form.photo-form", "action").is_empty());
    assert!(page.body.contains("не сможет подтвердить вашу личность"));
    // A forged upload to the same address is refused.
    let token = page.csrf_token();
    let (content_type, body) = multipart("face", &sample_jpeg(640, 480, None));
    let refused =
        aliya.post_body(&format!("/me/photos?csrf_token={token}"), &content_type, &[], body).await;
    assert_eq!(refused.status, 403);
    // And without the token, the CSRF check refuses it before anything else.
    let (content_type, body) = multipart("face", &sample_jpeg(640, 480, None));
    assert_eq!(aliya.post_body("/me/photos", &content_type, &[], body).await.status, 403);
    assert_eq!(stored(&app), (0, 0));
}

#[actix_web::test]
async fn an_uploaded_photo_is_sealed_and_only_its_people_see_it() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, false).await;
    give_consent(&aliya).await;
    let original = sample_jpeg(2400, 1800, Some(6));
    let sent = upload(&aliya, "face", &original).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(stored(&app), (1, 2));

    let page = aliya.get("/me/photos?lang=ru").await;
    assert_eq!(page.attrs("[data-status]", "data-status"), vec!["pending"]);
    let thumb = page.attrs(".photo-card img", "src").pop().unwrap();
    let full = thumb.replace("/thumb", "/full");

    // The owner gets the processed image: JPEG, turned upright, at most 1600 px, no caching.
    let (status, headers, image) = aliya.get_bytes(&full).await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "image/jpeg");
    assert!(headers.get("cache-control").unwrap().to_str().unwrap().contains("no-store"));
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(&image[..3], &[0xFF, 0xD8, 0xFF]);
    let size = jpeg_size(&image);
    assert_eq!(size, (1200, 1600), "orientation 6 applied, long edge 1600");
    assert!(!image.windows(4).any(|w| w == b"Exif"), "no metadata kept");

    // Nothing of it is in the database in clear.
    let mut conn = app.db.conn();
    let blobs: Vec<(Vec<u8>, Vec<u8>)> = photo_objects::table
        .select((photo_objects::ciphertext, photo_objects::wrapped_key))
        .load(&mut conn)
        .unwrap();
    let probes = [&image[200..232], &image[image.len() / 2..image.len() / 2 + 32]];
    for (ciphertext, key) in &blobs {
        assert_ne!(&ciphertext[..3], &[0xFF, 0xD8, 0xFF]);
        for probe in probes {
            assert!(!ciphertext.windows(32).any(|w| w == probe));
            assert!(!key.windows(32).any(|w| w == probe));
        }
    }
    // Nor in the data folder (mail files and anything else written there).
    for entry in walk(&std::env::temp_dir().join("avtomektep-tests")) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(!bytes.windows(32).any(|w| w == probes[1]), "{}", entry.display());
    }

    // Another student cannot fetch it by URL; their own view is not audited, others' would be.
    let baur = student_with(&app, 2, true, false).await;
    assert_eq!(baur.get_bytes(&full).await.0, 404);
    assert_eq!(baur.get_bytes(&thumb).await.0, 404);
    let viewed: i64 = audit_events::table
        .filter(audit_events::action.eq("photo.viewed"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(viewed, 0);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// (width, height) from a JPEG's start-of-frame marker.
fn jpeg_size(jpeg: &[u8]) -> (u16, u16) {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        let marker = jpeg[i + 1];
        let length = u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3) {
            let h = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]);
            let w = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]);
            return (w, h);
        }
        i += 2 + length;
    }
    panic!("no frame header")
}

#[actix_web::test]
async fn oversize_wrong_damaged_and_bomb_files_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, false).await;
    give_consent(&aliya).await;

    let big = vec![0xFFu8; 15 * 1024 * 1024 + 1];
    let refused = upload(&aliya, "face", &big).await;
    assert_eq!(refused.status, 413);
    assert!(refused.body.contains("больше 15 МБ"), "{}", refused.body);

    let jpeg = sample_jpeg(800, 600, None);
    let mut bomb = Vec::from(&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]);
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), "не фото в формате"),
        ("html", b"<html><script>alert(1)</script></html>".to_vec(), "не фото в формате"),
        ("truncated", jpeg[..jpeg.len() / 2].to_vec(), "повреждён"),
        ("bomb", bomb, "слишком большое"),
    ];
    for (name, file, message) in cases {
        let page = upload(&aliya, "face", &file).await;
        assert_eq!(page.status, 422, "{name}");
        assert!(page.texts("#photo-error").join(" ").contains(message), "{name}: {}", page.body);
    }
    // No kind, or a made-up one.
    assert_eq!(upload(&aliya, "selfie", &jpeg).await.status, 422);
    assert_eq!(stored(&app), (0, 0));

    // A script asking for JSON gets the message as JSON.
    let page = aliya.get("/me/photos").await;
    let action = page.attrs("form.photo-form", "action").pop().unwrap();
    let (content_type, body) = multipart("face", b"not an image");
    let answer =
        aliya.post_body(&action, &content_type, &[("Accept", "application/json")], body).await;
    assert_eq!(answer.status, 422);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert!(json["error"].as_str().unwrap().contains("JPEG"));
}

#[actix_web::test]
async fn withdrawing_the_consent_deletes_the_photos() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, false).await;
    give_consent(&aliya).await;
    assert_eq!(upload(&aliya, "face", &sample_jpeg(640, 480, None)).await.status, 303);
    assert_eq!(upload(&aliya, "document", &sample_jpeg(640, 480, None)).await.status, 303);
    assert_eq!(stored(&app), (2, 4));
    let done = aliya.submit("/me/photos", "/me/photos/consent/withdraw", &[]).await;
    assert_eq!(done.status, 303);
    assert_eq!(stored(&app), (0, 0));
    let page = aliya.get("/me/photos").await;
    assert!(page.attrs("form.photo-form", "action").is_empty());
}

#[actix_web::test]
async fn school_staff_verify_a_photo_and_the_student_is_told() {
    let sink = crate::support::smtp::SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let (admin, zhol, manager) = zhol(&app).await;
    let other = school(&admin, "990940003030", "Басқа").await;
    let stranger = manager_of(&app, &admin, &other, "manager@other.kz").await;
    let g = group(&manager, "B", "10").await;
    let aliya = student_with(&app, 1, true, false).await;
    apply(&aliya, &zhol, &g).await;
    give_consent(&aliya).await;
    assert_eq!(upload(&aliya, "face", &sample_jpeg(900, 1200, None)).await.status, 303);
    let mails_before = sink.wait_for(0).len();

    // The manager sees it beside the registered name, birth date and document number.
    let queue = manager.get("/photos/review?lang=ru").await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.texts(".review-name"), vec!["Сейітқали Әлия"]);
    assert!(queue.body.contains("28.10.1979") && queue.body.contains("043123456"));
    let image = queue.attrs(".review-photo", "src").pop().unwrap();
    assert_eq!(manager.get_bytes(&image).await.0, 200);
    // Another school's manager neither sees it nor decides on it.
    let theirs = stranger.get("/photos/review").await;
    assert!(theirs.texts(".review-item").is_empty());
    assert_eq!(stranger.get_bytes(&image).await.0, 404);
    let approve = queue.attrs("form[action$='/approve']", "action").pop().unwrap();
    let token = theirs.csrf_token();
    assert_eq!(stranger.post(&approve, &[("csrf_token", &token)]).await.status, 404);

    let done = manager.submit("/photos/review", &approve, &[]).await;
    assert_eq!(done.status, 303);
    let mails = sink.wait_for(mails_before + 1);
    assert!(
        mails.last().unwrap().subject().contains("подтверждено")
            || mails.last().unwrap().subject().contains("расталды")
    );

    let me = aliya.get("/me?lang=ru").await;
    assert_eq!(me.texts("#identity"), vec!["Личность подтверждена"]);
    assert_eq!(me.attrs(".profile-photo", "src").len(), 1);
    let photos_page = aliya.get("/me/photos").await;
    assert_eq!(photos_page.attrs("[data-status]", "data-status"), vec!["verified"]);

    // Staff views of someone else's photo are on the audit trail.
    let mut conn = app.db.conn();
    let viewed: i64 = audit_events::table
        .filter(audit_events::action.eq("photo.viewed"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(viewed >= 1);
}

#[actix_web::test]
async fn a_rejected_photo_gives_the_reason_and_can_be_replaced() {
    let sink = crate::support::smtp::SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let aliya = student_with(&app, 1, true, false).await;
    give_consent(&aliya).await;
    assert_eq!(upload(&aliya, "document", &sample_jpeg(800, 600, None)).await.status, 303);
    let mails_before = sink.wait_for(0).len();

    // The operator's admins see every pending photo.
    let queue = admin.get("/photos/review").await;
    let reject = queue.attrs("form[action$='/reject']", "action").pop().unwrap();
    let bad = admin.submit("/photos/review", &reject, &[("reason", "made_up"), ("note", "")]).await;
    assert_eq!(bad.status, 303);
    assert_eq!(
        aliya.get("/me/photos").await.attrs("[data-status]", "data-status"),
        vec!["pending"],
        "an unknown reason changes nothing"
    );
    let done = admin
        .submit("/photos/review", &reject, &[("reason", "unreadable"), ("note", "Блик на номере")])
        .await;
    assert_eq!(done.status, 303);
    let mail = sink.wait_for(mails_before + 1).pop().unwrap();
    assert!(mail.text().contains("Блик на номере"), "{}", mail.text());

    let page = aliya.get("/me/photos?lang=ru").await;
    assert_eq!(page.attrs("[data-status]", "data-status"), vec!["rejected"]);
    assert!(page.texts(".reason")[0].contains("Данные документа не читаются — Блик на номере"));
    // Uploading again replaces the rejected one.
    assert_eq!(upload(&aliya, "document", &sample_jpeg(800, 600, None)).await.status, 303);
    let page = aliya.get("/me/photos").await;
    assert_eq!(page.attrs("[data-status]", "data-status"), vec!["pending"]);
    // A second decision on the old (deleted) photo finds nothing.
    assert_eq!(admin.submit("/photos/review", &reject, &[("reason", "blurry")]).await.status, 404);
}

#[actix_web::test]
async fn a_school_cannot_confirm_an_enrolment_without_photo_consent() {
    let app = TestApp::spawn().await;
    let (_admin, zhol, manager) = zhol(&app).await;
    let g = group(&manager, "B", "10").await;
    let aliya = student_with(&app, 1, true, false).await;
    apply(&aliya, &zhol, &g).await;
    let path = format!("/school/groups/{g}?lang=ru");
    let accept = manager.get(&path).await.attrs("form[action$='/accept']", "action").pop().unwrap();
    let refused = manager.submit(&path, &accept, &[("group", &g)]).await;
    assert_eq!(refused.status, 303);
    let shown = manager.get(&path).await;
    assert!(shown.texts(".flash")[0].contains("не дал согласия на идентификацию"));
    assert_eq!(shown.texts(".roster .badge"), vec!["заявка подана"]);
    // Staff cannot add the student by IIN either.
    manager.submit(&path, &format!("/school/groups/{g}/add"), &[("iin", "901123300258")]).await;

    give_consent(&aliya).await;
    manager.submit(&path, &accept, &[("group", &g)]).await;
    assert_eq!(manager.get(&path).await.texts(".roster .badge"), vec!["принят(а)"]);
}

#[actix_web::test]
async fn twenty_uploads_at_once_by_one_person_are_sent_two_at_a_time_and_pages_are_still_served() {
    let app = TestApp::spawn().await;
    let aliya = student_with(&app, 1, true, false).await;
    give_consent(&aliya).await;
    let page = aliya.get("/me/photos").await;
    let action = page.attrs("form.photo-form", "action").pop().unwrap();
    let photo = sample_jpeg(1200, 900, None);
    let uploads = (0..20).map(|_| {
        let (content_type, body) = multipart("face", &photo);
        let action = action.clone();
        let visitor = &aliya;
        async move { visitor.post_body(&action, &content_type, &[], body).await.status }
    });
    let home = async {
        // While the uploads wait for their turn, an ordinary page still answers.
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        app.get("/").await.status
    };
    let (statuses, home) = tokio::join!(futures_util::future::join_all(uploads), home);
    assert_eq!(home, 200);
    // One person sends at most two files at once (media::upload::PER_PERSON): the others are
    // told at once to wait for them, and nothing else goes wrong.
    assert!(statuses.iter().all(|s| matches!(s, 303 | 429)), "{statuses:?}");
    assert!(statuses.contains(&303), "{statuses:?}");
    // Each new face photo replaces the one still pending: one remains.
    assert_eq!(stored(&app), (1, 2));
}
