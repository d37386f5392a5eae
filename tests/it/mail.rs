use avtomektep::config::Config;
use avtomektep::mail::{Mail, Mailer};

use crate::support::smtp::SmtpSink;

fn mail_to(address: &str) -> Mail {
    Mail {
        to: address.to_string(),
        subject: "Электрондық поштаны растаңыз".to_string(),
        text: "Сәлеметсіз бе!\n.\nСілтеме: https://avtomektep.kz/verify".to_string(),
        html: "<p>Сәлеметсіз бе!</p>".to_string(),
    }
}

#[test]
fn mail_goes_over_real_smtp_with_text_and_html() {
    let sink = SmtpSink::start();
    let mut config = Config::for_tests("unused".into());
    config.smtp_url = Some(sink.url());
    let mailer = Mailer::from_config(&config).unwrap();
    mailer.send(mail_to("aigerim@mail.kz")).unwrap();

    let got = sink.wait_for(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["aigerim@mail.kz"]);
    assert_eq!(got[0].subject(), "Электрондық поштаны растаңыз");
    assert!(got[0].text().contains("Сілтеме: https://avtomektep.kz/verify"), "{}", got[0].text());
    assert!(got[0].text().contains("\n.\n"), "a lone dot survives dot-stuffing");
    assert!(got[0].html().contains("<p>Сәлеметсіз бе!</p>"));
}

#[test]
fn without_smtp_mail_becomes_an_eml_file_in_the_data_folder() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("mail-{}", uuid::Uuid::new_v4().simple()));
    let mut config = Config::for_tests("unused".into());
    config.data_dir = dir.clone();
    Mailer::from_config(&config).unwrap().send(mail_to("aigerim@mail.kz")).unwrap();
    let files: Vec<_> = std::fs::read_dir(dir.join("mail")).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].file_name().to_string_lossy().ends_with(".eml"));
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("To: aigerim@mail.kz"), "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_unreachable_smtp_server_is_an_error_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = Config::for_tests("unused".into());
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let started = std::time::Instant::now();
    assert!(Mailer::from_config(&config).unwrap().send(mail_to("a@mail.kz")).is_err());
    assert!(started.elapsed().as_secs() < 20);
}
