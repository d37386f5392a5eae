//! Every route with every role: who may, who is refused, who is sent to sign in.

use avtomektep::accounts::operator::create_account;
use avtomektep::crypto::KeyRing;

use crate::accounts::{Form, PASSWORD, register, sign_in};
use crate::support::{Page, TestApp, Visitor};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Access {
    Everyone,
    SignedIn,
    Admin,
    Student,
    /// The operator's moderators and admins.
    Moderation,
    /// Who checks identification photos: school staff, instructors, moderators, admins.
    Reviewer,
    /// Staff of a school; nobody in this matrix works for one, so every signed-in role is refused.
    SchoolMember,
}

#[derive(Debug, PartialEq)]
enum Seen {
    Allowed,
    SentToSignIn,
    Forbidden,
}

fn seen(page: &Page) -> Seen {
    match page.status {
        403 => Seen::Forbidden,
        303 if page.location().starts_with("/login") => Seen::SentToSignIn,
        _ => Seen::Allowed,
    }
}

/// Makes staff accounts through the same code as `avtomektep user create`.
fn staff(app: &TestApp, keys: &KeyRing, role: &str) -> String {
    let email = format!("{role}@test.kz");
    create_account(&mut app.db.conn(), keys, role, &email, "Тестов Тест", PASSWORD).unwrap();
    email
}

#[actix_web::test]
async fn every_route_checks_the_role_on_the_server() {
    let app = TestApp::spawn().await;
    let keys = app.keys();
    // The account the admin routes act on.
    let target = Visitor::new(&app);
    register(&target, &Form::adult("target@mail.kz", "901123300258", "+77771234567"), "kk").await;
    let target_id = app.user_id("target@mail.kz");

    let student = Visitor::new(&app);
    register(&student, &Form::adult("student@mail.kz", "791028302728", "+77011234567"), "kk").await;
    let mut visitors: Vec<(&str, Visitor)> =
        vec![("anonymous", Visitor::new(&app)), ("student", student)];
    for role in ["instructor", "school_staff", "moderator", "admin"] {
        let email = staff(&app, keys, role);
        let visitor = Visitor::new(&app);
        assert_eq!(sign_in(&visitor, &email, PASSWORD).await.status, 303, "{role} signs in");
        visitors.push((role, visitor));
    }

    let gets = [
        ("/", Access::Everyone),
        ("/privacy", Access::Everyone),
        ("/privacy/versions", Access::Everyone),
        ("/privacy/versions/1", Access::Everyone),
        ("/register", Access::Everyone),
        ("/login", Access::Everyone),
        ("/password/forgot", Access::Everyone),
        ("/healthz", Access::Everyone),
        ("/schools", Access::Everyone),
        ("/me/training", Access::SignedIn),
        ("/admin/schools/new", Access::Admin),
        ("/readyz", Access::Everyone),
        ("/me", Access::SignedIn),
        ("/me/sessions", Access::SignedIn),
        ("/me/password", Access::SignedIn),
        ("/admin", Access::Admin),
        ("/admin/users/TARGET", Access::Admin),
        ("/admin/schools/applications", Access::Admin),
        ("/schools/apply", Access::SignedIn),
        ("/me/lessons", Access::Student),
        ("/school", Access::SchoolMember),
        ("/school/calendar", Access::SchoolMember),
        ("/school/branches", Access::SchoolMember),
        ("/school/lessons", Access::SchoolMember),
        ("/school/groups/new", Access::SchoolMember),
        ("/school/groups/GROUP", Access::SchoolMember),
        ("/me/photos", Access::SignedIn),
        ("/photos/GROUP/thumb", Access::SignedIn),
        ("/photos/review", Access::Reviewer),
        ("/tickets", Access::SignedIn),
        ("/tickets/new", Access::SignedIn),
        ("/tickets/GROUP", Access::SignedIn),
        ("/reports/new?review=GROUP", Access::SignedIn),
        ("/reviews/new?enrolment=GROUP", Access::SignedIn),
        ("/moderation", Access::Moderation),
    ];
    let posts = [
        ("/admin/search", Access::Admin),
        ("/admin/schools", Access::Admin),
        ("/admin/users/TARGET/guardian", Access::Admin),
        ("/admin/users/TARGET/unblock", Access::Admin),
        ("/admin/users/TARGET/block", Access::Admin),
        ("/me/verify-email/resend", Access::SignedIn),
        ("/me/sessions/others/revoke", Access::SignedIn),
        ("/admin/schools/GROUP/approve", Access::Admin),
        ("/school/groups", Access::SchoolMember),
        ("/school/groups/GROUP/theory", Access::SchoolMember),
        ("/school/groups/GROUP/teacher", Access::SchoolMember),
        ("/school/groups/GROUP/transfer", Access::SchoolMember),
        ("/school/branches", Access::SchoolMember),
        ("/school/lessons", Access::SchoolMember),
        ("/school/invitations", Access::SchoolMember),
        ("/me/photos/consent", Access::SignedIn),
        ("/me/photos/consent/withdraw", Access::SignedIn),
        ("/photos/GROUP/approve", Access::Reviewer),
        ("/photos/GROUP/reject", Access::Reviewer),
        ("/tickets/new", Access::SignedIn),
        ("/tickets/GROUP/reply", Access::SignedIn),
        ("/tickets/GROUP/status", Access::SignedIn),
        ("/reports", Access::SignedIn),
        ("/moderation/reviews/GROUP/hide", Access::Moderation),
        ("/moderation/messages/GROUP/delete", Access::Moderation),
        ("/moderation/users/GROUP/restrict", Access::Moderation),
        ("/moderation/users/GROUP/lift", Access::Moderation),
    ];
    // Any id: the role is refused before the id is looked at.
    let group_id = uuid::Uuid::new_v4().to_string();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (role, visitor) in &visitors {
        let expect = |access: Access| match (access, *role) {
            (Access::Everyone, _) => Seen::Allowed,
            (_, "anonymous") => Seen::SentToSignIn,
            (Access::SignedIn, _) => Seen::Allowed,
            (Access::Admin, "admin") => Seen::Allowed,
            (Access::Admin, _) => Seen::Forbidden,
            (Access::Student, "student") => Seen::Allowed,
            (Access::Moderation, "moderator" | "admin") => Seen::Allowed,
            (Access::Moderation, _) => Seen::Forbidden,
            (Access::Reviewer, "student") => Seen::Forbidden,
            (Access::Reviewer, _) => Seen::Allowed,
            (Access::Student | Access::SchoolMember, _) => Seen::Forbidden,
        };
        for (path, access) in gets {
            let path = path.replace("TARGET", &target_id).replace("GROUP", &group_id);
            let got = seen(&visitor.get(&path).await);
            if got != expect(access) {
                wrong.push(format!("{role} GET {path}: {got:?}, expected {:?}", expect(access)));
            }
            checked += 1;
        }
        let token_page = if *role == "anonymous" { "/login" } else { "/me" };
        for (path, access) in posts {
            let path = path.replace("TARGET", &target_id).replace("GROUP", &group_id);
            let got = seen(&visitor.submit(token_page, &path, &[("q", "Тест")]).await);
            if got != expect(access) {
                wrong.push(format!("{role} POST {path}: {got:?}, expected {:?}", expect(access)));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(checked, 6 * (gets.len() + posts.len()), "the whole matrix: {checked} checks");
    println!("roles x routes matrix: {checked} checks");
}
