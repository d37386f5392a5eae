//! The moderators' decisions on reviews and ticket messages.

use super::*;
use crate::{reviews, tickets};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Invisible to everyone but its author and the moderators; kept.
    Hide,
    /// The text is removed; a stub with the reason stays.
    Delete,
    /// A hidden item is shown again.
    Restore,
    /// A held review is published.
    Publish,
    /// The reports were unfounded: the item stays as it is.
    Keep,
}

impl Action {
    pub const ALL: [Action; 5] =
        [Action::Hide, Action::Delete, Action::Restore, Action::Publish, Action::Keep];

    pub fn code(self) -> &'static str {
        match self {
            Action::Hide => "hide",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Keep => "keep",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The state an item in `status` goes to; `None` when the action does not apply.
    /// Reviews are published/held/hidden/deleted, messages visible/hidden/deleted.
    pub fn next(self, target: Target, status: &str, open_reports: i64) -> Option<&'static str> {
        let shown = match target {
            Target::Review(_) => "published",
            Target::Message(_) => "visible",
        };
        match (self, status) {
            (Action::Hide, "published" | "held" | "visible") => Some("hidden"),
            (Action::Delete, "published" | "held" | "visible" | "hidden") => Some("deleted"),
            (Action::Restore, "hidden") => Some(shown),
            (Action::Publish, "held") => Some("published"),
            (Action::Keep, s) if s == shown && open_reports > 0 => Some(shown),
            _ => None,
        }
    }

    /// Whether the action applies to items of this kind at all.
    pub fn applies_to(self, target: Target) -> bool {
        !(self == Action::Publish && matches!(target, Target::Message(_)))
    }
}

/// What a decision did, for the audit trail and the author's mail.
#[derive(Debug, Clone)]
pub struct Decided {
    pub from: String,
    pub to: &'static str,
    pub author_id: Option<Uuid>,
    /// The page the item is on (the school page or the ticket).
    pub place: String,
    pub reports_resolved: usize,
}

fn open_count(conn: &mut PgConnection, target: Target) -> QueryResult<i64> {
    open_on(target).count().get_result(conn)
}

/// Applies the decision and resolves the item's open reports, in one transaction; `None` when
/// it does not apply to the item as it now is (e.g. another moderator was quicker).
pub fn decide(
    conn: &mut PgConnection, target: Target, action: Action, moderator: Uuid, reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<Decided>> {
    conn.transaction(|conn| {
        let (status, author_id, place) = match target {
            Target::Review(id) => {
                let (status, author, school) = reviews::model::lock_for_moderation(conn, id)?;
                (status, Some(author), format!("/schools/{school}"))
            }
            Target::Message(id) => {
                let (status, author, ticket) =
                    tickets::model::lock_message_for_moderation(conn, id)?;
                (status, author, format!("/tickets/{ticket}"))
            }
        };
        let open = open_count(conn, target)?;
        let Some(next) = action.next(target, &status, open) else {
            return Ok(None);
        };
        match (action, target) {
            (Action::Keep, _) => {}
            (_, Target::Review(id)) => {
                reviews::model::set_moderation(conn, id, next, reason, moderator, now)?
            }
            (_, Target::Message(id)) => {
                tickets::model::set_message_moderation(conn, id, next, reason, moderator, now)?
            }
        }
        let reports_resolved = resolve(conn, target, moderator, now)?;
        Ok(Some(Decided { from: status, to: next, author_id, place, reports_resolved }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_apply_only_to_items_in_the_right_state() {
        let review = Target::Review(Uuid::nil());
        let message = Target::Message(Uuid::nil());
        assert_eq!(Action::Hide.next(review, "published", 0), Some("hidden"));
        assert_eq!(Action::Hide.next(review, "held", 0), Some("hidden"));
        assert_eq!(Action::Hide.next(review, "deleted", 1), None);
        assert_eq!(Action::Restore.next(review, "hidden", 0), Some("published"));
        assert_eq!(Action::Restore.next(message, "hidden", 0), Some("visible"));
        assert_eq!(Action::Restore.next(review, "deleted", 0), None, "text is gone");
        assert_eq!(Action::Publish.next(review, "held", 0), Some("published"));
        assert_eq!(Action::Publish.next(review, "hidden", 0), None);
        assert_eq!(Action::Delete.next(message, "hidden", 0), Some("deleted"));
        assert_eq!(Action::Keep.next(review, "published", 0), None);
        assert_eq!(Action::Keep.next(message, "visible", 2), Some("visible"));
        assert!(!Action::Publish.applies_to(message));
    }
}
