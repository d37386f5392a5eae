//! Registration, the emailed links, sign-in and the profile, in Chromium, in both languages.

use fantoccini::Locator;
use serde_json::json;

use super::{Browser, run};
use crate::accounts::{PASSWORD, app_with_mail, link_in};
use crate::support::TestApp;
use crate::support::dates;
use crate::support::smtp::SmtpSink;

impl Browser {
    pub(super) async fn fill(&self, name: &str, text: &str) -> Result<(), String> {
        let field = self.client.find(Locator::Css(&format!("[name={name}]"))).await;
        let field = field.map_err(|e| format!("finding {name}: {e}"))?;
        field.clear().await.map_err(|e| format!("clearing {name}: {e}"))?;
        field.send_keys(text).await.map_err(|e| format!("typing into {name}: {e}"))
    }

    /// Date inputs take keys in the browser's own format; set the value the way a picker would.
    pub(super) async fn pick_date(&self, name: &str, iso: &str) -> Result<(), String> {
        let script = "document.querySelector(`[name=${arguments[0]}]`).value = arguments[1]";
        self.client
            .execute(script, vec![json!(name), json!(iso)])
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Clicks something that loads a new page, and waits until that page has loaded.
    pub(super) async fn click_and_load(&self, css: &str) -> Result<(), String> {
        let c = &self.client;
        c.execute("window.__leaving = true", vec![]).await.map_err(|e| e.to_string())?;
        self.click(css).await?;
        let ready = "return window.__leaving === undefined && document.readyState === 'complete'";
        for _ in 0..200 {
            if c.execute(ready, vec![]).await.ok() == Some(json!(true)) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(format!("clicking {css} did not load a page"))
    }

    /// Follows a link from a mail (its path, on this server).
    pub(super) async fn open_mailed_link(
        &self, app: &TestApp, text: &str, path: &str,
    ) -> Result<(), String> {
        let link = link_in(text, &format!("{}{path}", app.address));
        self.goto(&link).await
    }
}

struct Person<'a> {
    lang: &'a str,
    email: &'a str,
    iin: &'a str,
    phone: &'a str,
    birth_date: &'a str,
}

async fn fill_registration(app: &TestApp, b: &Browser, p: &Person<'_>) -> Result<(), String> {
    b.goto(&app.url(&format!("/register?lang={}", p.lang))).await?;
    for (name, value) in [
        ("last_name", "Сейітқали"),
        ("first_name", "Әлия"),
        ("iin", p.iin),
        ("doc_number", "043123456"),
        ("doc_issuer", "ҚР ІІМ"),
        ("phone", p.phone),
        ("email", p.email),
        ("address", "Астана, Мәңгілік Ел 8"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ] {
        b.fill(name, value).await?;
    }
    b.pick_date("birth_date", p.birth_date).await?;
    b.pick_date("doc_issued_on", &dates::days(-400)).await?;
    b.click("input[name=doc_type][value=id_card]").await?;
    b.click("input[name=consent_personal_data]").await?;
    Ok(())
}

/// Fills the sign-in form the browser is on and sends it.
async fn sign_in_from_here(b: &Browser, login: &str) -> Result<(), String> {
    b.fill("login", login).await?;
    b.fill("password", PASSWORD).await?;
    b.click_and_load("form.form button[type=submit]").await
}

async fn register_verify_and_sign_in(
    app: &TestApp, b: &Browser, sink: &SmtpSink, p: Person<'_>,
) -> Result<(), String> {
    let before = sink.wait_for(0).len();
    fill_registration(app, b, &p).await?;
    b.click_and_load("form.form button[type=submit]").await?;
    // Registering says "check your mail, then sign in" (the same whether or not the details
    // were new) and signs nobody in.
    b.text(&format!("html[lang={}] .flash", p.lang)).await?;
    sign_in_from_here(b, p.email).await?;
    let heading = b.text(&format!("html[lang={}] main h1", p.lang)).await?;
    if heading != "Сейітқали Әлия" {
        return Err(format!("after registering and signing in, the profile shows {heading:?}"));
    }
    b.text(".badge-warn").await?;

    let mails = sink.wait_for(before + 1);
    let mail = mails.get(before).ok_or("no verification mail")?;
    b.open_mailed_link(app, &mail.text(), "/verify-email?token=").await?;
    b.click_and_load("main form button[type=submit]").await?;
    b.text(".flash").await?;
    let badges = b
        .client
        .find_all(Locator::Css(".badge-warn:not(#identity)"))
        .await
        .map_err(|e| e.to_string())?;
    if !badges.is_empty() {
        return Err("the email is still shown as unverified".into());
    }

    b.click_and_load(".account-nav .link-button").await?;
    b.goto(&app.url("/login")).await?;
    b.fill("login", p.iin).await?;
    b.fill("password", PASSWORD).await?;
    b.click_and_load("form.form button[type=submit]").await?;
    let heading = b.text("main h1").await?;
    if heading != "Сейітқали Әлия" || b.url().await?.path() != "/me" {
        return Err(format!("signing in led to {heading:?}"));
    }
    b.check_stayed_local(app).await?;
    b.click_and_load(".account-nav .link-button").await
}

#[actix_web::test]
async fn a_student_registers_confirms_the_email_and_signs_in_in_both_languages() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let outcome = async {
        let ru = Person {
            lang: "ru",
            email: "aliya@mail.kz",
            iin: "791028302728",
            phone: "87011234567",
            birth_date: "1979-10-28",
        };
        register_verify_and_sign_in(&app, &browser, &sink, ru).await?;
        let kk = Person {
            lang: "kk",
            email: "baur@mail.kz",
            iin: "901123300258",
            phone: "+7 777 123 45 67",
            birth_date: "1990-11-23",
        };
        register_verify_and_sign_in(&app, &browser, &sink, kk).await
    }
    .await;
    run("register_verify_and_sign_in", browser, outcome).await;
}

#[actix_web::test]
async fn a_minor_registers_and_the_guardian_confirms_from_the_mail() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let outcome = async {
        let b = &browser;
        let minor_born = crate::support::dates::born_aged(16);
        let minor = Person {
            lang: "kk",
            email: "arman@mail.kz",
            iin: "061211600012",
            phone: "87011234567",
            birth_date: &minor_born,
        };
        fill_registration(&app, b, &minor).await?;
        for (name, value) in [
            ("guardian_last_name", "Сейітқали"),
            ("guardian_first_name", "Бауыржан"),
            ("guardian_iin", "770707300301"),
            ("guardian_phone", "+77771234567"),
            ("guardian_email", "father@mail.kz"),
        ] {
            b.fill(name, value).await?;
        }
        b.click_and_load("form.form button[type=submit]").await?;
        sign_in_from_here(b, minor.email).await?;
        let waiting = b.text(".banner-warn + .banner-warn, .banner-warn").await?;
        if waiting.is_empty() {
            return Err("no banner about the guardian".into());
        }
        let mails = sink.wait_for(2);
        let to_guardian =
            mails.iter().find(|m| m.to == ["father@mail.kz"]).ok_or("no mail to the guardian")?;
        b.open_mailed_link(&app, &to_guardian.text(), "/guardian/confirm?token=").await?;
        let both = b
            .client
            .find_all(Locator::Css(".bilingual section"))
            .await
            .map_err(|e| e.to_string())?;
        if both.len() != 2 {
            return Err("the guardian does not see the consent in both languages".into());
        }
        b.click_and_load("main form button[type=submit]").await?;
        let thanks = b.text("main h1").await?;
        if thanks != "Рақмет" {
            return Err(format!("the guardian saw {thanks:?}"));
        }
        b.goto(&app.url("/me")).await?;
        let page = b.text("main").await?;
        if page.contains("Заңды өкілдің келісімі күтілуде") {
            return Err("the account still waits for the guardian".into());
        }
        b.check_stayed_local(&app).await
    }
    .await;
    run("minor_and_guardian", browser, outcome).await;
}
