use avtomektep::db::schema::{consents, users};
use diesel::prelude::*;

use super::{Form, app_with_mail, link_in, register};
use crate::support::Visitor;
use crate::support::smtp::SmtpSink;

#[actix_web::test]
async fn a_minor_waits_for_the_guardian_who_confirms_by_the_emailed_link() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let student = Visitor::new(&app);
    let without = register(&student, &Form::minor(), "ru").await;
    assert_eq!(without.status, 422, "a minor must name a guardian");
    assert!(without.texts("#field-guardian_iin .error-message")[0].contains("12 цифр"));

    let form = Form::minor_with_guardian();
    assert_eq!(register(&student, &form, "kk").await.status, 303);
    let me = student.get("/me").await;
    assert!(
        me.texts(".badge-warn").iter().any(|b| b.contains("Заңды өкілдің келісімі")),
        "{:?}",
        me.texts(".badge-warn")
    );

    let mails = sink.wait_for(2);
    let to_guardian =
        mails.iter().find(|m| m.to == ["father@mail.kz"]).expect("the guardian is asked");
    let link = link_in(&to_guardian.text(), &format!("{}/guardian/confirm?token=", app.address));
    let path = link.trim_start_matches(&app.address).to_string();
    let guardian = Visitor::new(&app);
    let page = guardian.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.attrs(".bilingual section", "lang"),
        ["kk", "ru"],
        "the consent in both languages"
    );
    assert!(
        page.texts("main").join(" ").contains("Сейітқали Арман")
            || page.body.contains("Сейітқали Әлия")
    );
    let token = path.split('=').nth(1).unwrap().to_string();
    let done = guardian.submit(&path, "/guardian/confirm", &[("token", &token)]).await;
    assert_eq!(done.status, 200);

    let me = student.get("/me").await;
    assert!(
        me.texts(".badge-warn").iter().all(|b| !b.contains("Заңды өкілдің")),
        "{:?}",
        me.texts(".badge-warn")
    );
    let mut conn = app.db.conn();
    let status: String = users::table.select(users::status).first(&mut conn).unwrap();
    assert_eq!(status, "active");
    let kinds: Vec<String> =
        consents::table.select(consents::kind).order(consents::given_at).load(&mut conn).unwrap();
    assert_eq!(kinds, ["personal_data", "guardian"]);
}
