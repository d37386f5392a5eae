use std::process::Command;

use super::{Form, app_with_mail, link_in, register, users_count};
use crate::support::dates;
use crate::support::smtp::SmtpSink;
use crate::support::{TestApp, Visitor};

#[actix_web::test]
async fn a_student_registers_verifies_the_email_and_sees_their_profile() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let visitor = Visitor::new(&app);
    let form = Form::adult("aliya@mail.kz", "791028302728", "8 701 123 45 67")
        .set("consent_photo_id", "yes");
    let done = register(&visitor, &form, "ru").await;
    assert_eq!((done.status, done.location().as_str()), (303, "/login"), "{}", done.body);

    let me = visitor.get("/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.texts("h1"), ["Сейітқали Әлия"]);
    assert_eq!(me.texts(".badge-warn"), ["Почта не подтверждена", "Личность не подтверждена"]);
    let facts = me.texts(".facts dd").join(" | ");
    for shown in [
        "791028302728",
        "28.10.1979",
        "043123456",
        "+7 701 123 4567",
        "aliya@mail.kz",
        "Мәңгілік Ел",
    ] {
        assert!(facts.contains(shown), "the user sees their {shown}: {facts}");
    }
    assert_eq!(me.texts("#me-consents + ul li").len(), 2, "personal data and photo consents");

    let mail = sink.wait_for(1).remove(0);
    assert_eq!(mail.to, ["aliya@mail.kz"]);
    assert_eq!(mail.subject(), "Подтвердите электронную почту", "in the language of the form");
    let link = link_in(&mail.text(), &format!("{}/verify-email?token=", app.address));
    let path = link.trim_start_matches(&app.address);
    let confirm = visitor.get(path).await;
    assert_eq!(confirm.status, 200);
    let verified =
        visitor.submit(path, "/verify-email", &[("token", path.split('=').nth(1).unwrap())]).await;
    assert_eq!(verified.location(), "/me");
    let me = visitor.get("/me").await;
    assert!(me.texts(".badge-warn:not(#identity)").is_empty(), "{:?}", me.texts(".badge"));
    assert!(me.texts(".badge").contains(&"Почта подтверждена".to_string()));
    let again =
        visitor.submit(path, "/verify-email", &[("token", path.split('=').nth(1).unwrap())]).await;
    assert_eq!(again.status, 410, "a link works once");
}

#[actix_web::test]
async fn every_published_bad_value_answers_422_in_the_page_language_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    let base = || Form::aliya();
    let (next_year, aged_ten) = (dates::days(365), dates::born_aged(10));
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("iin", "901123300255", "контрольная цифра", "бақылау цифры"),
        ("iin", "821214240092", "контрольная цифра", "бақылау цифры"),
        ("iin", "000000000000", "дата рождения", "туған күн"),
        ("iin", "79102830272", "12 цифр", "12 цифр"),
        ("iin", "79102830272a", "только из цифр", "тек цифрлардан"),
        ("phone", "+79161234567", "российский номер", "Ресей нөмірі"),
        ("phone", "+77091234567", "не мобильный", "ұялы нөмірі емес"),
        ("phone", "+77991234567", "не мобильный", "ұялы нөмірі емес"),
        ("doc_number", "12345", "9 цифр", "9 цифрдан"),
        ("email", "aliya@", "name@example.kz", "name@example.kz"),
        ("password", "qwertyuiop", "распространён", "кең таралған"),
        ("password", "короткий", "10 символов", "10 таңбадан"),
        ("doc_issued_on", &next_year, "в будущем", "болашақта"),
        ("birth_date", &aged_ten, "с 16 лет", "16 жастан"),
    ];
    for (field, value, ru, kk) in cases {
        let form = base().set(field, value);
        for (lang, expected) in [("ru", ru), ("kk", kk)] {
            let page = super::register(&visitor, &form, lang).await;
            assert_eq!(page.status, 422, "{field}={value}");
            let message = page.texts(&format!("#field-{field} .error-message")).join(" ");
            assert!(message.contains(expected), "{field}={value} ({lang}): {message:?}");
            assert_eq!(page.attrs("html", "lang"), [lang]);
            let kept = page.attrs(&format!("input[name={field}]"), "value");
            if field != "password" {
                assert_eq!(kept, [value], "the value stays in the form");
            }
            assert_eq!(page.attrs(".error-summary a", "href")[0], format!("#field-{field}"));
        }
    }
    let passport = base().set("doc_type", "passport").set("doc_number", "12345678");
    let page = super::register(&visitor, &passport, "ru").await;
    assert!(page.texts("#field-doc_number .error-message")[0].contains("N1234567"));
    let no_consent = base().without("consent_personal_data");
    let page = super::register(&visitor, &no_consent, "ru").await;
    assert_eq!(page.status, 422);
    assert!(page.texts("#field-consent_personal_data .error-message")[0].contains("согласие"));
    assert_eq!(users_count(&app), 0, "nothing was created");
}

#[actix_web::test]
async fn a_duplicate_is_answered_like_a_fresh_registration_and_the_owner_is_told_once() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let fresh =
        Visitor::new(&app).submit("/register?lang=ru", "/register", &Form::aliya().fields()).await;
    let second = Visitor::new(&app);
    let same_email = Form::adult("ALIYA@mail.kz", "901123300258", "+77771234567");
    let same_iin = Form::adult("other@mail.kz", "791028302728", "+77771234567");
    let same_phone = Form::adult("third@mail.kz", "901123300258", "+7 701 123 4567");
    for form in [same_email, same_iin, same_phone] {
        let page = second.submit("/register?lang=ru", "/register", &form.fields()).await;
        assert_eq!((page.status, page.location()), (fresh.status, fresh.location()));
        assert_eq!(page.body, fresh.body, "the same answer whichever matched");
        assert_eq!(
            page.header("set-cookie").is_some(),
            fresh.header("set-cookie").is_some(),
            "nobody is signed in by either"
        );
    }
    let told = second.get("/login?lang=ru").await;
    assert!(
        told.texts(".flash").join(" ").contains("Проверьте электронную почту"),
        "{}",
        told.body
    );
    assert_eq!(users_count(&app), 1);
    let mails = sink.wait_for(2);
    let warnings: Vec<_> =
        mails.iter().filter(|m| m.subject() != "Подтвердите электронную почту").collect();
    assert_eq!(
        warnings.len(),
        1,
        "three attempts, one mail a day: {:?}",
        mails.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    assert_eq!(warnings[0].to, ["aliya@mail.kz"]);
    assert_eq!(
        warnings[0].subject(),
        "Попытка регистрации с вашей почтой",
        "in the owner's language"
    );
}

#[actix_web::test]
async fn a_post_without_the_csrf_token_is_refused_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    visitor.get("/register").await;
    let form = Form::aliya();
    let page = visitor.post("/register", &form.fields()).await;
    assert_eq!(page.status, 403);
    let forged = form.set("csrf_token", "forged");
    assert_eq!(visitor.post("/register", &forged.fields()).await.status, 403);
    assert_eq!(users_count(&app), 0);
}

#[actix_web::test]
async fn a_database_dump_holds_no_identifier_in_clear() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    let form = Form::aliya();
    assert_eq!(register(&visitor, &form, "kk").await.status, 303);
    let dump =
        Command::new(pg_dump()).arg("--data-only").arg("-d").arg(&app.db.url).output().unwrap();
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    let dump = String::from_utf8_lossy(&dump.stdout);
    assert!(dump.contains("Сейітқали"), "the dump has the user's row");
    for secret in
        ["791028302728", "043123456", "1979-10-28", "Мәңгілік Ел", "aliya@mail.kz", "77011234567"]
    {
        assert!(!dump.contains(secret), "{secret} is in the dump in clear");
    }
}

/// pg_dump from the same installation as the server programs, or the first one found.
fn pg_dump() -> std::path::PathBuf {
    let mut candidates: Vec<std::path::PathBuf> = Vec::new();
    if let Ok(bin) = avtomektep::db::embedded::find_bin_dir() {
        candidates.push(bin.join("pg_dump"));
    }
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        candidates.extend(dirs.flatten().map(|d| d.path().join("bin/pg_dump")));
    }
    candidates.into_iter().find(|p| p.is_file()).unwrap_or_else(|| "pg_dump".into())
}
