//! What a page costs the database, in SQL statements (the benchmark `throughput` times the same
//! pages): each has a budget, so a change that adds a round trip to every request shows here.
//! Counted after a warm-up request, the pool's checkout test (`SELECT 1`) included.

use avtomektep::accounts::operator::{DEMO_PASSWORD, seed_demo};
use avtomektep::db::schema::training_groups;
use diesel::prelude::*;

use crate::calendar::queries_for;
use crate::support::{TestApp, Visitor};

#[actix_web::test]
async fn the_busiest_pages_send_a_handful_of_statements() {
    let app = TestApp::spawn().await;
    let (school, group) = {
        let mut conn = app.db.conn();
        seed_demo(&mut conn, app.keys()).unwrap();
        avtomektep::schools::demo::seed(&mut conn, app.keys(), app.now()).unwrap();
        training_groups::table
            .select((training_groups::school_id, training_groups::id))
            .first::<(uuid::Uuid, uuid::Uuid)>(&mut conn)
            .unwrap()
    };
    let anonymous = Visitor::new(&app);
    let manager = Visitor::new(&app);
    let signed =
        crate::accounts::sign_in(&manager, "school-staff@demo.avtomektep.kz", DEMO_PASSWORD).await;
    assert_eq!(signed.status, 303);
    let pages: [(&Visitor, String, u64); 6] = [
        (&anonymous, "/schools".into(), 1),
        (&anonymous, "/privacy".into(), 1),
        (&anonymous, format!("/schools/{school}"), 7),
        (&manager, "/school".into(), 10),
        (&manager, "/school/calendar".into(), 5),
        (&manager, format!("/school/groups/{group}"), 10),
    ];
    let mut counted = Vec::new();
    for (visitor, path, budget) in &pages {
        let count = queries_for(&app, visitor, path).await;
        counted.push(format!("{path}: {count} (budget {budget})"));
        assert!(count <= *budget, "{path} sends {count} statements, over {budget}: {counted:?}");
    }
    println!("statements per page: {counted:?}");
}
